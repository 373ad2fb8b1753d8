// admin_server: wire/admin.capnp over a real Unix socket on its own thread.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include <capnp/ez-rpc.h>

#include <catch2/catch.hpp>

#include "actors/admin/admin_server.hpp"
#include "admin_test_util.hpp"

using namespace stmfd::admin;
using namespace stmfd::admin::test;
using stmfd::wire::admin::Admin;
using stmfd::wire::admin::ErrorCode;

namespace {
// A service over a fresh config in a scratch directory, ready to serve.
struct served {
  scratch_dir d;
  std::string path = d.file("stmfd.json");
  fake_stmf stmf;
  std::string text = (write_file(path, base_config(d.file("data"))), read_file(path));
  admin_service svc{path, text, stmf};
};
}  // namespace

TEST_CASE("admin server answers over its socket and commits to the file", "[admin][server]") {
  served f;
  auto& d = f.d;
  auto& path = f.path;
  auto& svc = f.svc;
  admin_server server;
  auto sock = d.file("run/admin.sock");
  REQUIRE(server.start(sock, svc).empty());
  struct stat st {};
  REQUIRE(::stat(sock.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(d.file("run").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);

  SECTION("a second server on the same live socket is refused") {
    admin_server other;
    auto err = other.start(sock, svc);
    CHECK(err.find("another daemon") != std::string::npos);
  }
  SECTION("requests and their errors") {
    capnp::EzRpcClient client(kj::str("unix:", sock));
    auto admin = client.getMain<Admin>();
    auto& ws = client.getWaitScope();
    auto req = admin.createHostGroupRequest();
    req.setName("hg1");
    CHECK(req.send().wait(ws).getStatus().getCode() == ErrorCode::OK);
    CHECK(read_file(path).find("\"hg1\"") != std::string::npos);
    auto again = admin.createHostGroupRequest();
    again.setName("hg1");
    auto r = again.send().wait(ws);
    CHECK(r.getStatus().getCode() == ErrorCode::ALREADY_EXISTS);
    CHECK(std::string(r.getStatus().getMessage().cStr()).find("hg1") != std::string::npos);
    auto keep = admin.deleteLuRequest();
    keep.setName("hg1");
    keep.setKeepViews(true);
    auto unserved = keep.send().wait(ws);
    CHECK(unserved.getStatus().getCode() == ErrorCode::NOT_IMPLEMENTED);
    // A link that cannot list sessions: failed, with its reason.
    auto sessions = admin.listSessionsRequest().send().wait(ws);
    CHECK(sessions.getStatus().getCode() == ErrorCode::FAILED);
    CHECK(std::string(sessions.getStatus().getMessage().cStr()) == "sessions are not available");
    auto groups = admin.listHostGroupsRequest().send().wait(ws);
    REQUIRE(groups.getGroups().size() == 1);
    CHECK(std::string(groups.getGroups()[0].getName().cStr()) == "hg1");
  }
  server.stop();
  CHECK(!std::filesystem::exists(sock));
}

TEST_CASE("a stale socket file of a dead daemon is replaced", "[admin][server]") {
  served f;
  auto& d = f.d;
  auto& svc = f.svc;
  auto sock = d.file("admin.sock");
  // A plain file in the way is not ours to remove.
  write_file(sock, "not a socket");
  admin_server blocked;
  CHECK(blocked.start(sock, svc).find("not a socket") != std::string::npos);
  std::filesystem::remove(sock);
  // A socket file nobody listens on, as a daemon killed with -9 leaves it.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, sock.c_str(), sizeof a.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  ::close(fd);
  REQUIRE(std::filesystem::is_socket(sock));
  admin_server ok;
  CHECK(ok.start(sock, svc).empty());
  capnp::EzRpcClient client(kj::str("unix:", sock));
  auto groups = client.getMain<Admin>().listHostGroupsRequest().send().wait(client.getWaitScope());
  CHECK(groups.getStatus().getCode() == ErrorCode::OK);
}
