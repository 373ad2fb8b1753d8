// libFuzzer harness: the config decoder (wire/config/loader.hpp): JSON text
// -> syntax check, schema check, Cap'n Proto decode, validation and
// completion. What must hold: no crash, leak, UB or escaping exception;
// an error names its origin; a config that loads, written back as JSON,
// loads again (validation and completion are a fixpoint).
#include <capnp/compat/json.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "wire/config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stmfd::wire::cfg;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  load_result r = load_text(text, "fuzz.json", "/etc/stmfd");
  if (!r.ok) {
    if (r.error.rfind("fuzz.json", 0) != 0) std::abort();
    return 0;
  }
  capnp::JsonCodec codec;
  kj::String again = codec.encode(r.root());
  load_result r2 = load_text(std::string_view(again.cStr(), again.size()), "again.json", "/etc/stmfd");
  if (!r2.ok) std::abort();
  return 0;
}
