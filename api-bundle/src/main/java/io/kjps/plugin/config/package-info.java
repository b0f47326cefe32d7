/**
 * Annotations on the components of a plugin's config record (or the fields of a config class) that become Kong
 * schema field attributes. Without annotations a field is optional, has no default, and is named after the Java
 * name in snake_case ({@code headerName} becomes {@code header_name}).
 *
 * <p>Type mapping: {@code String} and enums to {@code string} (an enum adds {@code one_of} of its constant names),
 * {@code boolean} to {@code boolean}, {@code int}/{@code long} (and boxes) to {@code integer}, {@code double}/{@code
 * float} to {@code number}, {@code List} to {@code array}, {@code Set} to {@code set}, {@code Map<String, V>} to
 * {@code map}, and a nested record or class to {@code record}. A type outside this list fails the build.
 */
@Export
@Version("1.0.0")
package io.kjps.plugin.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
