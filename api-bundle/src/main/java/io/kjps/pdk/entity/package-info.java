/**
 * Kong entities as the PDK returns them ({@code kong.router.get_route}, {@code kong.client.get_consumer}, ...), as
 * Java records. Each record has the commonly used fields typed and the whole table Kong sent in {@code raw()}, so
 * fields Kong adds later stay reachable. A field Kong left out (nil) is {@code null}; an empty Lua table is an
 * empty list or map.
 */
@Export
@Version("2.0.0")
package io.kjps.pdk.entity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
