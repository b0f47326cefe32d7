package io.kjps.rpc.pdk;

import io.kjps.pdk.Ctx;

/** {@code kong.ctx} over a {@link PdkCaller}. */
final class CtxPdk implements Ctx, Ctx.SharedCtx {
    private final PdkCaller k;

    CtxPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public SharedCtx shared() {
        return this;
    }

    @Override
    public Object get(String key) {
        return k.call("kong.ctx.shared.get", key);
    }

    @Override
    public void set(String key, Object value) {
        k.call("kong.ctx.shared.set", key, value);
    }
}
