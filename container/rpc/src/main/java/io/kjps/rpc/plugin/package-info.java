/**
 * Kong's phases as the server dispatches them. The descriptor the annotation processor writes into each bundle
 * jar is the plugin model's ({@code io.kjps.model.PluginDescriptor}).
 */
package io.kjps.rpc.plugin;
