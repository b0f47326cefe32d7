package io.kjps.emulator;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A MessagePack extension value as decoded from the server. Kong's unpacker turns ext values into Lua {@code nil};
 * the emulator does the same where it hands values to a {@link PdkHandler}, but the {@link MsgDecoder} keeps them so
 * that tests can see what the server sent. {@link KongPacker} refuses them (Kong never sends ext).
 *
 * @param type the extension type byte
 * @param data the payload
 */
public record ExtValue(int type, byte[] data) {
    /**
     * Copies the payload.
     *
     * @param type the extension type byte
     * @param data the payload
     */
    public ExtValue {
        data = data.clone();
    }

    /** @return a copy of the payload */
    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtValue e && e.type == type && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ext(" + type + "," + HexFormat.of().formatHex(data) + ")";
    }
}
