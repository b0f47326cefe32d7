/**
 * The typed PDK ({@code io.kjps.pdk}) implemented over a {@link io.kjps.rpc.pdk.PdkCaller}: each method becomes one
 * {@code {Method, Args}} step result, and Kong's answer is converted to the Java type the method promises.
 */
package io.kjps.rpc.pdk;
