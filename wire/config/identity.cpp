#include "wire/config/identity.hpp"

namespace stmfd::wire::cfg {
namespace {

// FNV-1a (64-bit) from a chosen starting state, then the splitmix64
// finaliser so that every output bit depends on every input byte. Frozen:
// changing any constant here changes every derived LU identity.
uint64_t hash64(std::string_view text, uint64_t state) {
  for (unsigned char c : text) {
    state ^= c;
    state *= 0x100000001b3ULL;
  }
  state ^= state >> 30;
  state *= 0xbf58476d1ce4e5b9ULL;
  state ^= state >> 27;
  state *= 0x94d049bb133111ebULL;
  state ^= state >> 31;
  return state;
}

void append_hex(std::string& out, uint64_t value, int digits) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (int i = digits - 1; i >= 0; --i) out += hex[(value >> (4 * i)) & 15];
}

}  // namespace

std::string derived_guid(std::string_view lu_name) {
  uint64_t high = hash64(lu_name, 0xcbf29ce484222325ULL);  // the FNV offset basis
  uint64_t low = hash64(lu_name, 0x84222325cbf29ce4ULL);
  std::string out;
  out.reserve(32);
  out += '6';
  append_hex(out, derived_company_id, 6);
  append_hex(out, high, 9);  // 36-bit vendor specific identifier
  append_hex(out, low, 16);  // 64-bit vendor specific identifier extension
  return out;
}

std::string derived_serial(std::string_view lu_name) { return derived_guid(lu_name).substr(16); }

}  // namespace stmfd::wire::cfg
