package io.kjps.rpc.pdk;

import io.kjps.pdk.Service;
import io.kjps.pdk.ServiceRequest;
import io.kjps.pdk.ServiceResponse;

/** {@code kong.service} over a {@link PdkCaller}. */
final class ServicePdk implements Service {
    private final PdkCaller k;
    private ServiceRequest request;
    private ServiceResponse response;

    ServicePdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public ServiceRequest request() {
        ServiceRequest r = request;
        return r != null ? r : (request = new ServiceRequestPdk(k));
    }

    @Override
    public ServiceResponse response() {
        ServiceResponse r = response;
        return r != null ? r : (response = new ServiceResponsePdk(k));
    }

    @Override
    public void setUpstream(String host) {
        k.call("kong.service.set_upstream", host);
    }

    @Override
    public void setTarget(String host, int port) {
        k.call("kong.service.set_target", host, port);
    }

    @Override
    public void setRetries(int retries) {
        k.call("kong.service.set_retries", retries);
    }

    @Override
    public void setTimeouts(int connectTimeout, int writeTimeout, int readTimeout) {
        k.call("kong.service.set_timeouts", connectTimeout, writeTimeout, readTimeout);
    }

    @Override
    public void setTlsVerify(boolean on) {
        k.call("kong.service.set_tls_verify", on);
    }

    @Override
    public void setTlsVerifyDepth(int depth) {
        k.call("kong.service.set_tls_verify_depth", depth);
    }
}
