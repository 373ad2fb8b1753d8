#include "wire/config/validate_admin.hpp"

#include "wire/config/names.hpp"
#include "wire/config/resolve_path.hpp"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {

using detail::resolve;
using detail::text;
using detail::view;

std::string check_admin(AdminSettings::Builder admin, const std::filesystem::path& base) {
  struct file_key {
    const char* key;
    capnp::Text::Reader value;
    void (AdminSettings::Builder::*set)(capnp::Text::Reader);
  };
  file_key files[] = {
      {"tlsCertificate", admin.getTlsCertificate(), &AdminSettings::Builder::setTlsCertificate},
      {"tlsKey", admin.getTlsKey(), &AdminSettings::Builder::setTlsKey},
      {"tokenFile", admin.getTokenFile(), &AdminSettings::Builder::setTokenFile},
  };
  if (admin.getListen().size() == 0) {
    for (auto& f : files)
      if (f.value.size() > 0) return std::string("admin.") + f.key + ": only used with admin.listen";
    return {};
  }
  portal p;
  if (auto err = parse_portal(view(admin.getListen()), p); !err.empty()) return "admin.listen: " + err;
  admin.setListen(text(p.to_string()));
  // Never a TCP listener without TLS and a token (wire/admin.capnp).
  for (auto& f : files) {
    if (f.value.size() == 0)
      return std::string("admin.") + f.key +
             ": required with admin.listen (the admin interface is served over TCP only with TLS and a token)";
    (admin.*f.set)(text(resolve(view(f.value), base)));
  }
  return {};
}

}  // namespace stmfd::wire::cfg
