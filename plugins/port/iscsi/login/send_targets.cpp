#include "plugins/port/iscsi/login/send_targets.hpp"

#include "wire/iscsi/text_keys.hpp"

namespace stmfd::iscsi::login {
namespace {

void list_target(std::vector<uint8_t>& out, const target_info& t) {
  append_text(out, "TargetName", t.name);
  // RFC 7143 13.8: each address with the tag of its own portal group.
  for (const std::string& portal : t.portals)
    append_text(out, "TargetAddress", portal + "," + std::to_string(t.tag_for(portal)));
}

}  // namespace

std::vector<uint8_t> send_targets(const directory& dir, std::string_view value, const std::string* session_target) {
  std::vector<uint8_t> out;
  if (session_target == nullptr) {
    if (value.empty()) {
      append_text(out, "SendTargets", "Reject");
    } else if (value == "All") {
      for (const target_info* t : dir.all())
        if (t) list_target(out, *t);
    } else if (const target_info* t = dir.find(value)) {
      list_target(out, *t);
    }
    return out;
  }
  if (value == "All") {
    append_text(out, "SendTargets", "Reject");
    return out;
  }
  if (value.empty() || value == *session_target)
    if (const target_info* t = dir.find(*session_target)) list_target(out, *t);
  return out;
}

}  // namespace stmfd::iscsi::login
