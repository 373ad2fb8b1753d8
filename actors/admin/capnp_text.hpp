#pragma once
// A Cap'n Proto Text as a std::string (the admin plane's one helper for
// it: RPC handlers, the admin service, the config document).
#include <capnp/blob.h>
#include <capnp/common.h>

#include <string>

namespace stmfd::admin {

inline std::string str(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }

}  // namespace stmfd::admin
