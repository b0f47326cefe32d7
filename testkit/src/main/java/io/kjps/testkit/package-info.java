/**
 * The plugin test kit: {@link io.kjps.testkit.PluginTester} runs a plugin's phases in a unit test against an
 * in-memory fake Kong ({@code kong-emulator}'s {@code FakeRequest}), through the production RPC codec and dispatcher
 * over a real unix socket, so a plugin that passes here sees the same bytes behind Kong.
 */
package io.kjps.testkit;
