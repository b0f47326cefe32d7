package io.kjps.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A MessagePack {@code str} whose bytes are not valid UTF-8 (a Lua string is a byte string: Kong sends header
 * values, bodies and JSON as {@code str} whatever their bytes are).
 *
 * <p>The {@link MsgDecoder} returns this type instead of {@link String} for such values, so no byte is lost, and
 * {@link KongPacker} packs it back as {@code str} with exactly these bytes. Equality is by bytes.
 */
public final class RawString {
    private final byte[] bytes;

    /** @param bytes the string's bytes (copied) */
    public RawString(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** @return a copy of the string's bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    /** @return the bytes as lower-case hex, as the recordings' {@code $str_hex} form */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** @return the bytes decoded as ISO-8859-1 (every byte one char), for messages and logs */
    public String latin1() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawString r && Arrays.equals(bytes, r.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** @return {@code str_hex:<hex>} */
    @Override
    public String toString() {
        return "str_hex:" + hex();
    }
}
