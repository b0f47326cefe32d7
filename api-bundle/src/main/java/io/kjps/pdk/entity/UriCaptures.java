package io.kjps.pdk.entity;

import java.util.Map;

/**
 * {@code kong.request.get_uri_captures()}: the regex captures of the matched route path.
 *
 * @param unnamed capture number to value; key 0 is the whole match when Kong sends it (it arrives as an
 *        integer-keyed map, or as an array numbered from 1)
 * @param named capture name to value (Kong sends an empty array when there are none: an empty map here)
 */
public record UriCaptures(Map<Integer, String> unnamed, Map<String, String> named) {
}
