#pragma once
// Rate limiting of failed token logins on the TCP admin endpoint (issue 6:
// a few failures per peer address, then a growing refusal). Per peer
// address (the port is not part of it: every connection of one host
// counts together):
//  - the first `free_failures` failed authenticate calls are answered as
//    usual; the last of them starts a lockout of `first_lockout`;
//  - while locked out every authenticate call from that address is refused
//    without looking at the token (so a token cannot be guessed faster
//    than the lockouts allow) and does not lengthen the lockout;
//  - each failure after a lockout doubles the next one, up to
//    `max_lockout`;
//  - a successful login forgets the address's failures; a peer with no
//    failure for `forget_after` is forgotten too.
// At most `max_peers` addresses are remembered (the one whose last failure
// is oldest goes first), so a flood of addresses cannot grow it without
// bound. Used on the admin thread only (not thread-safe).
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace stmfd::admin {

class login_throttle {
 public:
  using clock = std::chrono::steady_clock;
  struct limits {
    uint32_t free_failures = 3;
    std::chrono::milliseconds first_lockout{1000};
    std::chrono::milliseconds max_lockout{60000};
    std::chrono::milliseconds forget_after{600000};
    size_t max_peers = 1024;
  };
  login_throttle() : login_throttle(limits{}) {}
  explicit login_throttle(limits l) : limits_(l) {}

  // How long `peer` is still locked out at `now`; zero: it may try.
  std::chrono::milliseconds locked_for(const std::string& peer, clock::time_point now) const;
  // The outcome of a checked attempt (one made while not locked out).
  void failed(const std::string& peer, clock::time_point now);
  void succeeded(const std::string& peer) { peers_.erase(peer); }
  size_t remembered() const { return peers_.size(); }

 private:
  struct peer_state {
    uint32_t failures = 0;
    clock::time_point last_failure{};
    clock::time_point locked_until{};
  };
  void prune(clock::time_point now);

  limits limits_;
  std::map<std::string, peer_state> peers_;
};

}  // namespace stmfd::admin
