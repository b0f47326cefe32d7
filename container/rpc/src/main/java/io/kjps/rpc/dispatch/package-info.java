/**
 * Kong's plugin-server methods without sockets: the server-global instance and event tables (the steps of one
 * event arrive on different connections), the plugins being served, and the hand-off between the connection that
 * carries a call and the thread that runs the plugin's phase method.
 */
package io.kjps.rpc.dispatch;
