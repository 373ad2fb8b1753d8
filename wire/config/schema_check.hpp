#pragma once
// Checks a parsed JSON document against a Cap'n Proto struct schema before
// JsonCodec decodes it, because JsonCodec (0.9.2) either ignores unknown
// keys or rejects them without saying where, and its type errors name no
// field. Enforces the annotations declared in wire/config.capnp:
// $required, $range, $oneOf, $maxBytes.

#include <capnp/compat/json.h>
#include <capnp/schema.h>

#include <string>

namespace stmfd::wire::cfg {

// Empty when `value` can be decoded into `schema` and satisfies every
// annotation; otherwise "path: message" for the first problem, in document
// order, e.g. "logicalUnits[0].sise: unknown key (known keys: name, ...)".
// `path` prefixes every reported path (empty for the document root).
std::string check_against_schema(capnp::JsonValue::Reader value, capnp::StructSchema schema,
                                 const std::string& path = {});

}  // namespace stmfd::wire::cfg
