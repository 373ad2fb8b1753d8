// admin_service's library verbs when the framework does not answer: a
// listing fails (FAILED, the reason) rather than show a library with no
// elements as if its changer were offline, and a delete that must know what
// the drives hold is refused unless forced.
#include <catch2/catch.hpp>

#include "actors/admin/admin_service.hpp"
#include "admin_test_util.hpp"

using namespace stmfd;
using namespace stmfd::admin;
using namespace stmfd::admin::test;

namespace {

constexpr const char* silent = "the framework did not answer: request_timeout";
constexpr uint8_t storage = 2, drive = 4;  // SMC-3 element type codes

// The fixture's service with library "lib" (4 slots) committed; its changer
// answers with one cartridge in slot 1 and an empty drive.
struct library_fixture : service_fixture {
  library_fixture() {
    REQUIRE(svc->create_library("lib", "", 4, 0).ok());
    stmf.elements = {{storage, 0x0100, "CART01L8", std::nullopt}, {drive, 0x0200, "", std::nullopt}};
  }
};

}  // namespace

TEST_CASE("list-library answers the changer's map, and fails when the framework is silent", "[admin][library]") {
  library_fixture f;
  std::vector<library_listing> libs;
  REQUIRE(f.svc->list_libraries("", libs).ok());
  REQUIRE(libs.size() == 1);
  CHECK(libs[0].online);
  CHECK(libs[0].elements.size() == 2);

  f.stmf.library_error = silent;
  libs.clear();
  auto st = f.svc->list_libraries("", libs);
  CHECK(st.code == error_code::FAILED);
  CHECK(st.message.find("request_timeout") != std::string::npos);
  CHECK(libs.empty());  // no library shown "Offline" with no elements
  libs.clear();
  CHECK(f.svc->list_libraries("lib", libs).code == error_code::FAILED);
  CHECK(libs.empty());
  std::vector<cartridge_listing> carts;  // built on the same query
  CHECK(f.svc->list_cartridges("", carts).code == error_code::FAILED);
  CHECK(carts.empty());
}

TEST_CASE("an offline changer is an answer: the library is listed offline, no error", "[admin][library]") {
  library_fixture f;
  f.stmf.elements.clear();  // what STMF answers for a changer that does not serve
  std::vector<library_listing> libs;
  REQUIRE(f.svc->list_libraries("lib", libs).ok());
  REQUIRE(libs.size() == 1);
  CHECK_FALSE(libs[0].online);
}

TEST_CASE("delete-library with the framework silent is refused unless forced", "[admin][library]") {
  library_fixture f;
  f.stmf.library_error = silent;
  auto st = f.svc->delete_library("lib", false);
  CHECK(st.code == error_code::FAILED);
  CHECK(st.message.find("request_timeout") != std::string::npos);
  CHECK(f.stmf.deleted.empty());
  std::vector<library_listing> libs;
  f.stmf.library_error.clear();
  REQUIRE(f.svc->list_libraries("lib", libs).ok());  // still there
  CHECK(libs.size() == 1);

  f.stmf.library_error = silent;
  REQUIRE(f.svc->delete_library("lib", true).ok());
  CHECK(f.stmf.deleted == std::vector<std::string>{"lib-changer"});
}
