// The provider registry STMF starts LUs and ports through.
#include <catch2/catch.hpp>

#include "actors/stmf/builtin_providers.hpp"

using namespace stmfd;

TEST_CASE("provider registry refuses duplicates and other interface versions", "[providers]") {
  provider_registry reg;
  REQUIRE(reg.add(sbd_lu_provider()));
  CHECK_FALSE(reg.add(sbd_lu_provider()));  // one "sbd"
  auto future = sbd_lu_provider();
  future.name = "tape";
  future.version = provider_interface_version + 1;
  CHECK_FALSE(reg.add(future));
  CHECK(reg.lu("sbd") != nullptr);
  CHECK(reg.lu("tape") == nullptr);
  lu_provider empty{"empty", provider_interface_version, {}};
  CHECK_FALSE(reg.add(empty));  // no spawn function

  auto ctx = std::make_shared<iscsi::port_context>(
      iscsi::port_context{iscsi::target_directory({}), iscsi::port_settings{}, {"127.0.0.1:3260"}});
  REQUIRE(reg.add(iscsi_port_provider(ctx)));
  CHECK_FALSE(reg.add(iscsi_port_provider(ctx)));
  REQUIRE(reg.ports().size() == 1);
  CHECK(reg.ports()[0].name == "iscsi");
}
