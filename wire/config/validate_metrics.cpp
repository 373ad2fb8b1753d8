#include "wire/config/validate_metrics.hpp"

#include "wire/config/names.hpp"
#include "wire/config/text_util.hpp"

namespace stmfd::wire::cfg {

std::string check_metrics(Metrics::Builder metrics) {
  std::string listen(detail::view(metrics.getListen()));
  if (listen.empty()) return {};
  const std::string at = "metrics.listen: ";
  portal p;
  if (auto err = parse_portal(listen, p); !err.empty()) return at + err;
  // parse_portal defaults the port to iSCSI's; the endpoint has no default.
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || (p.ipv6 && (colon == 0 || listen[colon - 1] != ']')))
    return at + detail::quoted(listen) + " needs a port (\"127.0.0.1:9433\")";
  bool loopback = p.ipv6 ? p.host == "::1" : p.host.rfind("127.", 0) == 0;
  if (!loopback && !metrics.getAllowRemote())
    return at + detail::quoted(listen) +
           " is not a loopback address; the endpoint has no authentication (set metrics.allowRemote to serve it "
           "there)";
  auto canonical = p.to_string();
  metrics.setListen(detail::text(canonical));
  return {};
}

}  // namespace stmfd::wire::cfg
