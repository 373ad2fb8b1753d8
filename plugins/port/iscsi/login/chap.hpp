#pragma once
// Target side of the security stage: AuthMethod selection and CHAP with
// MD5 (RFC 7143 12.1.3, RFC 1994), one-way or mutual.
//
// Exchange (initiator -> target / target -> initiator):
//   AuthMethod=CHAP,None          / AuthMethod=CHAP
//   CHAP_A=5                      / CHAP_A=5 CHAP_I=<id> CHAP_C=<challenge>
//   CHAP_N CHAP_R [CHAP_I CHAP_C] / [CHAP_N CHAP_R]   (bracketed: mutual)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/port/iscsi/login/md5.hpp"
#include "plugins/port/iscsi/login/types.hpp"
#include "wire/iscsi/text_keys.hpp"

namespace stmfd::iscsi::login {

// CHAP_R for algorithm 5: MD5(identifier || secret || challenge) (RFC 1994 4.1).
md5_digest chap_md5_response(uint8_t id, std::string_view secret, const uint8_t* challenge, size_t len);

// Fills buf from getrandom(2); false if the kernel could not provide it.
bool random_bytes(uint8_t* buf, size_t len);

// True for the keys this stage owns: AuthMethod and CHAP_*.
bool is_security_key(std::string_view key);

class authenticator {
 public:
  static constexpr size_t challenge_length = 16;
  static constexpr size_t max_initiator_challenge = 1024;

  // chap == nullptr or an empty user: no authentication required, CHAP refused.
  // Called once the target is known (first PDU), before any key.
  void set_policy(const chap_config* chap) { chap_ = chap; }
  bool chap_required() const { return chap_ != nullptr && !chap_->user.empty(); }

  // One security key of the current text; answers appended to out.
  // Returns a login status (status::success to continue).
  uint16_t on_key(const text_pair& kv, std::vector<text_pair>& out);
  // After all keys of a text: checks the initiator's CHAP response if this
  // text had to carry it, and answers a mutual challenge.
  uint16_t end_of_text(std::vector<text_pair>& out);

  bool negotiated() const { return state_ != state::start; }  // AuthMethod was chosen
  bool done() const { return state_ == state::none || state_ == state::chap_ok; }

 private:
  enum class state { start, none, wait_chap_a, wait_response, chap_ok };
  uint16_t on_auth_method(std::string_view v, std::vector<text_pair>& out);
  uint16_t on_chap_a(std::string_view v, std::vector<text_pair>& out);
  uint16_t verify(std::vector<text_pair>& out);

  const chap_config* chap_ = nullptr;
  state state_ = state::start;
  bool challenged_now_ = false;  // our challenge went out with this text's answer
  uint8_t id_ = 0;
  std::vector<uint8_t> challenge_;
  std::optional<std::string> n_, r_, i_, c_;  // initiator's CHAP_N/R/I/C in this text
};

}  // namespace stmfd::iscsi::login
