package io.kjps.pdk;

import io.kjps.pdk.entity.VaultReference;
import org.osgi.annotation.versioning.ProviderType;

/** {@code kong.vault}: secret references such as {@code {vault://env/my-secret}}. Every phase. */
@ProviderType
public interface Vault {

    /**
     * {@code kong.vault.get(reference)}.
     *
     * @param reference the reference
     * @return the secret, or {@code null} when Kong could not resolve it (Kong 3.x drops the error text)
     */
    String get(String reference);

    /**
     * {@code kong.vault.is_reference(reference)}.
     *
     * @param reference any text
     * @return whether it is a vault reference
     */
    boolean isReference(String reference);

    /**
     * {@code kong.vault.parse_reference(reference)}.
     *
     * @param reference the reference
     * @return its parts, or {@code null} when it is not a valid reference
     */
    VaultReference parseReference(String reference);
}
