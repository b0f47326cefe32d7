package io.kjps.guide;

import io.kjps.pdk.Kong;
import io.kjps.plugin.KongPhaseHandler;
import io.kjps.plugin.KongPlugin;

/** Runs every example of {@link PdkExamples} in a phase where Kong allows it. */
@KongPlugin(name = "pdk-guide-tour", version = "1.0.0", priority = 1)
public class PdkTourPlugin implements KongPhaseHandler<Void> {

    @Override
    public void access(Kong kong, Void config) {
        PdkExamples.request(kong);
        PdkExamples.serviceRequest(kong);
        PdkExamples.client(kong);
        PdkExamples.ctx(kong);
        PdkExamples.log(kong);
        PdkExamples.nginx(kong);
        PdkExamples.node(kong);
        PdkExamples.ip(kong);
        PdkExamples.plugin(kong);
        PdkExamples.router(kong);
        PdkExamples.service(kong);
        PdkExamples.vault(kong);
        PdkExamples.cluster(kong);
        PdkExamples.call(kong);
    }

    @Override
    public void response(Kong kong, Void config) {
        PdkExamples.response(kong);
        PdkExamples.serviceResponse(kong);
    }
}
