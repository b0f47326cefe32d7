/**
 * Kong's side of the MsgPack:1 plugin-server protocol, for tests and benchmarks that drive a plugin server the way
 * Kong Gateway 3.x does (protocol.md §4, recorded conversations in {@code kong-recordings/conversations}).
 *
 * <ul>
 *   <li>{@link io.kjps.emulator.KongPacker} / {@link io.kjps.emulator.MsgDecoder}: Kong's packing rules, and a
 *       decoder for anything a server sends.</li>
 *   <li>{@link io.kjps.emulator.KongConnectionPool} / {@link io.kjps.emulator.KongClient}: one worker's keepalive
 *       pool and Rpc object (msgids, serverPid, response checks).</li>
 *   <li>{@link io.kjps.emulator.KongEmulator} / {@link io.kjps.emulator.ConfiguredPlugin}: StartInstance, CloseInstance,
 *       the bridge loop of one event, instance caching and recovery.</li>
 *   <li>{@link io.kjps.emulator.PdkHandler} / {@link io.kjps.emulator.FakeRequest}: the PDK answers, and an
 *       in-memory HTTP request that gives Kong-like ones and records what the plugin did.</li>
 *   <li>{@link io.kjps.emulator.ConversationReplay}: replays a recorded conversation against a server and reports
 *       the differences.</li>
 * </ul>
 *
 * <pre>{@code
 * try (KongConnectionPool pool = new KongConnectionPool(socket)) {
 *     ConfiguredPlugin hello = new KongEmulator(new KongClient(pool)).plugin("hello", "{\"greeting\":\"hi\"}");
 *     FakeRequest req = FakeRequest.builder().header("x-name", "Alice").build();
 *     EventOutcome o = hello.handleEvent("access", req);
 *     assert o.ending() == EventOutcome.Ending.RET && "hello Alice".equals(req.responseHeader("x-hello"));
 * }
 * }</pre>
 */
package io.kjps.emulator;
