#include "plugins/port/iscsi/login/chap.hpp"

#include <sys/random.h>

#include <cerrno>

#include "plugins/port/iscsi/login/values.hpp"

namespace stmfd::iscsi::login {
namespace {

constexpr uint64_t chap_md5 = 5;  // CHAP_A value for MD5 (RFC 1994, RFC 7143 12.1.3)

bool equal_constant_time(const uint8_t* a, const uint8_t* b, size_t n) {
  uint8_t diff = 0;
  for (size_t i = 0; i < n; ++i) diff |= a[i] ^ b[i];
  return diff == 0;
}

}  // namespace

md5_digest chap_md5_response(uint8_t id, std::string_view secret, const uint8_t* challenge, size_t len) {
  md5 h;
  h.update(&id, 1);
  h.update(secret.data(), secret.size());
  h.update(challenge, len);
  return h.finish();
}

bool random_bytes(uint8_t* buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = getrandom(buf + got, len - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    got += static_cast<size_t>(n);
  }
  return true;
}

bool is_security_key(std::string_view key) { return key == "AuthMethod" || key.substr(0, 5) == "CHAP_"; }

uint16_t authenticator::on_key(const text_pair& kv, std::vector<text_pair>& out) {
  const std::string& k = kv.key;
  if (k == "AuthMethod") return on_auth_method(kv.value, out);
  if (k == "CHAP_A") return on_chap_a(kv.value, out);
  std::optional<std::string>* slot = k == "CHAP_N"   ? &n_
                                     : k == "CHAP_R" ? &r_
                                     : k == "CHAP_I" ? &i_
                                     : k == "CHAP_C" ? &c_
                                                     : nullptr;
  if (!slot) {
    out.push_back({k, "NotUnderstood"});
    return status::success;
  }
  // The initiator's response (and mutual challenge) only make sense after
  // our challenge (RFC 7143 12.1.3).
  if (state_ != state::wait_response || challenged_now_) return status::initiator_error;
  *slot = kv.value;
  return status::success;
}

// List negotiation (RFC 7143 6.2.1, 12): first offered method we accept.
// With CHAP configured only CHAP is acceptable; without it only None.
uint16_t authenticator::on_auth_method(std::string_view v, std::vector<text_pair>& out) {
  if (state_ != state::start) return status::initiator_error;
  const std::string_view want = chap_required() ? "CHAP" : "None";
  for (std::string_view offered : split_list(v)) {
    if (offered != want) continue;
    out.push_back({"AuthMethod", std::string(want)});
    state_ = chap_required() ? state::wait_chap_a : state::none;
    return status::success;
  }
  out.push_back({"AuthMethod", "Reject"});
  return status::authentication_failure;
}

uint16_t authenticator::on_chap_a(std::string_view v, std::vector<text_pair>& out) {
  if (state_ != state::wait_chap_a) return status::initiator_error;
  bool md5_offered = false;
  for (std::string_view a : split_list(v))
    if (parse_number(a) == chap_md5) md5_offered = true;
  if (!md5_offered) {
    out.push_back({"CHAP_A", "Reject"});
    return status::authentication_failure;
  }
  challenge_.assign(challenge_length, 0);
  if (!random_bytes(&id_, 1) || !random_bytes(challenge_.data(), challenge_.size())) return status::target_error;
  out.push_back({"CHAP_A", "5"});
  out.push_back({"CHAP_I", std::to_string(id_)});
  out.push_back({"CHAP_C", to_hex_constant(challenge_.data(), challenge_.size())});
  state_ = state::wait_response;
  challenged_now_ = true;
  return status::success;
}

uint16_t authenticator::end_of_text(std::vector<text_pair>& out) {
  uint16_t st = status::success;
  if (state_ == state::wait_response && !challenged_now_) st = verify(out);
  challenged_now_ = false;
  n_.reset();
  r_.reset();
  i_.reset();
  c_.reset();
  return st;
}

// RFC 7143 12.1.3: the text after our challenge must carry CHAP_N and
// CHAP_R; CHAP_I and CHAP_C together ask us to prove ourselves (mutual).
uint16_t authenticator::verify(std::vector<text_pair>& out) {
  if (!n_ || !r_) return status::authentication_failure;
  if (*n_ != chap_->user) return status::authentication_failure;
  auto r = parse_binary(*r_);
  md5_digest expect = chap_md5_response(id_, chap_->secret, challenge_.data(), challenge_.size());
  if (!r || r->size() != expect.size() || !equal_constant_time(r->data(), expect.data(), expect.size()))
    return status::authentication_failure;

  if (i_ || c_) {
    if (!i_ || !c_ || chap_->mutual_user.empty()) return status::authentication_failure;
    auto id = parse_number(*i_);
    auto challenge = parse_binary(*c_);
    if (!id || *id > 255 || !challenge || challenge->size() > max_initiator_challenge)
      return status::authentication_failure;
    // A reflected challenge would make us compute the initiator's answer.
    if (*challenge == challenge_) return status::authentication_failure;
    md5_digest resp =
        chap_md5_response(static_cast<uint8_t>(*id), chap_->mutual_secret, challenge->data(), challenge->size());
    out.push_back({"CHAP_N", chap_->mutual_user});
    out.push_back({"CHAP_R", to_hex_constant(resp.data(), resp.size())});
  }
  state_ = state::chap_ok;
  return status::success;
}

}  // namespace stmfd::iscsi::login
