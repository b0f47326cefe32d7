/**
 * Implementation details of {@link io.kjps.emulator}: the connection, JSON handling, the recordings' JSON form and
 * Lua value semantics. Not an API: may change without notice.
 */
package io.kjps.emulator.internal;
