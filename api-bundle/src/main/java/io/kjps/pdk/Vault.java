package io.kjps.pdk;

import io.kjps.pdk.entity.VaultReference;
import java.util.Map;
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

    /**
     * {@code kong.vault.update(options)}: refreshes secrets in a table of options. Every field named in its
     * {@code "$refs"} map (field name to reference) gets the secret Kong currently holds for that reference, in
     * nested maps too; a reference Kong has no value cached for leaves its field as it was. Kong changes only its
     * own copy of the table: the result is the updated table. Experimental in Kong; Kong 3.4 and later.
     *
     * @param options the options, with their {@code "$refs"}; not {@code null}
     * @return the options as Kong returned them (an empty table comes back as an empty map); {@code null} when Kong
     *         sent nil (a Kong without the function)
     * @throws NullPointerException when {@code options} is {@code null}
     * @since 1.2
     */
    Map<String, Object> update(Map<String, ?> options);

    /**
     * {@code kong.vault.flush()}: asks Kong to empty its cache of resolved references (and, depending on the Kong
     * version, of vault configurations), so that {@link #get} resolves them again. The cache belongs to the Kong
     * worker, not to this plugin. Kong sends no result. Kong 3.3 and later; older lines ignore the call.
     *
     * @since 1.2
     */
    void flush();
}
