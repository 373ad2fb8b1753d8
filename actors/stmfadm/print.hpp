#pragma once
// Output of the listing verbs: human-readable tables (COMSTAR's layout
// where it has one) or, with --json, the daemon's answer as JSON (the
// wire/admin.capnp results, field names in camelCase).
#include <capnp/compat/json.h>

#include <cstdio>
#include <string>
#include <vector>

namespace stmfd::stmfadm {

// Prints rows under a header, each column as wide as its widest cell.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// `resp`: an RPC response (capnp::Response<Results>) or a struct reader.
template <class Resp>
void print_json(const Resp& resp) {
  capnp::JsonCodec codec;
  codec.setPrettyPrint(true);
  typename Resp::Reads::Reader r = resp;
  auto text = codec.encode(r);
  std::printf("%s\n", text.cStr());
}

// "1073741824" -> "1.00 GiB" style, for tables.
std::string human_size(uint64_t bytes);

// "512", "64k", "100M", "1g", "2T" (binary multiples) -> bytes; false when
// it is not a size.
bool parse_size(const std::string& text, uint64_t& out);

}  // namespace stmfd::stmfadm
