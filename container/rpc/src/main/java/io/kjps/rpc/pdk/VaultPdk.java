package io.kjps.rpc.pdk;

import io.kjps.pdk.Vault;
import io.kjps.pdk.entity.VaultReference;
import java.util.Map;
import java.util.Objects;

/** {@code kong.vault} over a {@link PdkCaller}. */
final class VaultPdk implements Vault {
    private final PdkCaller k;

    VaultPdk(PdkCaller caller) {
        this.k = caller;
    }

    @Override
    public String get(String reference) {
        String m = "kong.vault.get";
        return PdkResults.string(m, k.call(m, reference));
    }

    @Override
    public boolean isReference(String reference) {
        String m = "kong.vault.is_reference";
        Object v = k.call(m, reference);
        // nil (for example from an older Kong without the function) is "no"
        return v != null && PdkResults.bool(m, v);
    }

    @Override
    public VaultReference parseReference(String reference) {
        String m = "kong.vault.parse_reference";
        return Entities.vaultReference(m, k.call(m, reference));
    }

    @Override
    public Map<String, Object> update(Map<String, ?> options) {
        String m = "kong.vault.update";
        Objects.requireNonNull(options, m + ": options");
        return Entities.table(m, k.call(m, options));
    }

    @Override
    public void flush() {
        k.call("kong.vault.flush");
    }
}
