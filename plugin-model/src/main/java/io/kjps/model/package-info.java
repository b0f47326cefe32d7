/**
 * The plugin model: the facts about a Kong plugin that the processor writes and every other part of the server
 * reads, each defined once.
 */
package io.kjps.model;
