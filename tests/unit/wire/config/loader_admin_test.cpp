// Config.admin: remote admin access only with TLS and a token; paths resolve
// against the config file's directory; the listen address is canonical.
#include <catch2/catch.hpp>

#include "tests/unit/wire/config/config_test_util.hpp"

using namespace stmfd::wire::cfg;
using namespace stmfd::wire::cfg::test;

namespace {
std::string admin(std::string_view block) { return std::string(R"({"admin": {)") + std::string(block) + "}}"; }
const char* full = R"("listen": "127.0.0.1:3270", "tlsCertificate": "c.pem", "tlsKey": "/k/k.pem", "tokenFile": "t")";
}  // namespace

TEST_CASE("an admin listener loads with resolved paths", "[config][admin]") {
  auto r = load(admin(full));
  REQUIRE(r.ok);
  auto a = r.message->getRoot<Config>().getAdmin();
  CHECK(str(a.getListen()) == "127.0.0.1:3270");
  CHECK(str(a.getTlsCertificate()) == "/etc/stmfd/c.pem");
  CHECK(str(a.getTlsKey()) == "/k/k.pem");
  CHECK(str(a.getTokenFile()) == "/etc/stmfd/t");
}

TEST_CASE("no admin block or no listen: no TCP listener", "[config][admin]") {
  CHECK(error_of("{}") == "OK");
  CHECK(error_of(admin("")) == "OK");
  CHECK(error_of(admin(R"("tokenFile": "t")")).find("admin.tokenFile: only used with admin.listen") !=
        std::string::npos);
}

TEST_CASE("a listener without TLS or a token is refused", "[config][admin]") {
  CHECK(error_of(admin(R"("listen": "127.0.0.1:3270", "tlsCertificate": "c", "tlsKey": "k")"))
            .find("admin.tokenFile: required with admin.listen") != std::string::npos);
  CHECK(error_of(admin(R"("listen": "127.0.0.1:3270", "tlsKey": "k", "tokenFile": "t")"))
            .find("admin.tlsCertificate: required with admin.listen") != std::string::npos);
  CHECK(error_of(admin(R"("listen": "127.0.0.1:3270", "tlsCertificate": "c", "tokenFile": "t")"))
            .find("admin.tlsKey: required with admin.listen") != std::string::npos);
  CHECK(error_of(admin(R"("listen": "not an address", "tlsCertificate": "c", "tlsKey": "k", "tokenFile": "t")"))
            .find("admin.listen: ") != std::string::npos);
}
