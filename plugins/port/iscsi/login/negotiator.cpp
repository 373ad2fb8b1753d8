#include "plugins/port/iscsi/login/negotiator.hpp"

#include <string_view>

namespace stmfd::iscsi::login {
namespace {

// Declarations the initiator makes in its first text and may repeat unchanged.
bool is_identity_key(std::string_view key) {
  return key == "InitiatorName" || key == "InitiatorAlias" || key == "TargetName" || key == "SessionType";
}

const std::string* find_value(const std::vector<text_pair>& pairs, std::string_view key) {
  for (const text_pair& p : pairs)
    if (p.key == key) return &p.value;
  return nullptr;
}

}  // namespace

negotiator::negotiator(const directory& dir, const target_limits& limits) : dir_(dir), op_(limits, params_) {
  // Until we declare ours (RFC 7143 13.12), the initiator assumes the default.
  params_.target_mrdsl = 8192;
}

login_response negotiator::on_request(const login_request& req) {
  if (finished_) return fail(req, status::initiator_error);
  if (uint16_t st = check_stage(req)) return fail(req, st);
  if (req.data_len > 0 && req.data == nullptr) return fail(req, status::initiator_error);
  if (req.data_len > max_pending_text - pending_.size()) return fail(req, status::initiator_error);
  pending_.insert(pending_.end(), req.data, req.data + req.data_len);

  login_response resp;
  resp.csg = req.csg;
  // RFC 7143 11.12.2 / 11.13: a partial text is acknowledged with an empty
  // response and T=0; keys may straddle PDUs, so nothing is parsed yet.
  if (req.cont) return resp;

  std::vector<text_pair> out;
  uint16_t st = process_text(req, out);
  pending_.clear();
  if (st) return fail(req, st);

  if (req.transit) {
    bool leave = true;
    if (req.csg == security_negotiation && !auth_.done()) {
      if (auth_.negotiated())
        leave = false;  // the CHAP exchange is still running: answer T=0
      else if (auth_.chap_required())
        return fail(req, status::authentication_failure);  // leaving without authenticating
    }
    if (leave) {
      resp.transit = true;
      resp.nsg = req.nsg;
      stage_ = req.nsg;
      if (req.nsg == full_feature) {
        resp.complete = true;
        finished_ = true;
      }
    }
  }
  for (const text_pair& p : out) append_text(resp.data, p.key, p.value);
  return resp;
}

// RFC 7143 11.12.1-11.12.3 and 6.3: flags and stage sequence.
uint16_t negotiator::check_stage(const login_request& req) {
  if (req.csg != security_negotiation && req.csg != operational_negotiation) return status::initiator_error;
  if (req.transit) {
    if (req.cont) return status::initiator_error;
    if ((req.nsg != operational_negotiation && req.nsg != full_feature) || req.nsg <= req.csg)
      return status::initiator_error;
  }
  if (!started_) {
    started_ = true;
    // We speak version 0x00 only (RFC 7143 11.12.4).
    if (req.version_min > 0 || req.version_max < req.version_min) return status::unsupported_version;
    stage_ = req.csg;
    return status::success;
  }
  return req.csg == stage_ ? status::success : status::initiator_error;
}

uint16_t negotiator::process_text(const login_request& req, std::vector<text_pair>& out) {
  text_parse_result parsed = parse_text(pending_.data(), pending_.size());
  if (!parsed.ok) return status::initiator_error;
  {
    std::set<std::string_view> seen;
    for (const text_pair& p : parsed.pairs)
      if (!seen.insert(p.key).second) return status::initiator_error;
  }

  if (!named_) {
    if (uint16_t st = first_text(parsed.pairs)) return st;
    named_ = true;
    if (uint16_t st = choose_auth()) return st;
    if (target_) {
      // RFC 7143 13.6 and 13.9: sent by the target in its first response.
      if (!target_->alias.empty()) out.push_back({"TargetAlias", target_->alias});
      out.push_back({"TargetPortalGroupTag", std::to_string(target_->tag_for(portal_))});
    }
  }
  // RFC 7143 6.3: a target that requires authentication refuses an
  // initiator that goes to the operational stage without it.
  if (req.csg == operational_negotiation && auth_.chap_required() && !auth_.done())
    return status::authentication_failure;

  for (const text_pair& kv : parsed.pairs) {
    if (is_identity_key(kv.key)) {
      if (uint16_t st = redeclaration(kv)) return st;
      continue;
    }
    if (!offered_.insert(kv.key).second) return status::initiator_error;  // RFC 7143 6.2: once per login
    uint16_t st;
    if (is_security_key(kv.key)) {
      if (req.csg != security_negotiation) return status::initiator_error;
      st = auth_.on_key(kv, out);
    } else {
      st = op_.on_key(kv, params_.discovery, out);
    }
    if (st) return st;
  }
  if (req.csg == security_negotiation)
    if (uint16_t st = auth_.end_of_text(out)) return st;
  op_.end_of_text(out);

  if (req.csg == operational_negotiation && !declared_mrdsl_) {
    declared_mrdsl_ = true;
    params_.target_mrdsl = op_.our_mrdsl();
    out.push_back({"MaxRecvDataSegmentLength", std::to_string(params_.target_mrdsl)});
  }
  return status::success;
}

// RFC 7143 13.4, 13.5, 13.21: who is logging in, to what, for which purpose.
uint16_t negotiator::first_text(const std::vector<text_pair>& pairs) {
  const std::string* type = find_value(pairs, "SessionType");
  if (type && *type == "Discovery")
    params_.discovery = true;
  else if (type && *type != "Normal")
    return status::session_type_not_supported;

  const std::string* initiator = find_value(pairs, "InitiatorName");
  if (!initiator || initiator->empty()) return status::missing_parameter;
  if (initiator->size() > max_name_length) return status::initiator_error;
  params_.initiator_name = *initiator;

  if (const std::string* alias = find_value(pairs, "InitiatorAlias")) {
    if (alias->size() > max_alias_length) return status::initiator_error;
    params_.initiator_alias = *alias;
  }

  if (params_.discovery) return status::success;  // a TargetName here means nothing
  const std::string* name = find_value(pairs, "TargetName");
  if (!name || name->empty()) return status::missing_parameter;
  target_ = name->size() <= max_name_length ? dir_.find(*name) : nullptr;
  if (!target_) return status::not_found;
  if (!target_->online) return status::service_unavailable;  // RFC 7143 11.13.5: 0x0301
  params_.target_name = target_->name;
  return status::success;
}

// The target's own CHAP credentials, or (per-initiator CHAP, discovery
// CHAP) the initiator's record, whose absence refuses the login at once
// (0x0201): without a secret there is nothing the initiator could prove.
uint16_t negotiator::choose_auth() {
  bool per_initiator = target_ ? target_->chap_per_initiator : dir_.discovery_chap();
  if (!per_initiator) {
    if (target_) chap_ = target_->chap;
    auth_.set_policy(target_ ? &chap_ : nullptr);
    return status::success;
  }
  const chap_config* rec = dir_.initiator_chap(params_.initiator_name);
  if (rec == nullptr || rec->user.empty() || rec->secret.empty()) return status::authentication_failure;
  chap_.user = rec->user;
  chap_.secret = rec->secret;
  if (target_) {
    chap_.mutual_user = target_->chap.mutual_user;
    chap_.mutual_secret = target_->chap.mutual_secret;
  }
  auth_.set_policy(&chap_);
  return status::success;
}

// The identity keys may be repeated (libiscsi repeats them in every stage)
// but never changed.
uint16_t negotiator::redeclaration(const text_pair& kv) const {
  bool same = true;
  if (kv.key == "InitiatorName")
    same = kv.value == params_.initiator_name;
  else if (kv.key == "InitiatorAlias")
    same = kv.value == params_.initiator_alias;
  else if (kv.key == "SessionType")
    same = kv.value == (params_.discovery ? "Discovery" : "Normal");
  else if (kv.key == "TargetName" && !params_.discovery)
    same = kv.value == params_.target_name;
  return same ? status::success : status::initiator_error;
}

login_response negotiator::fail(const login_request& req, uint16_t st) {
  finished_ = true;
  pending_.clear();
  login_response r;
  r.status_class = static_cast<uint8_t>(st >> 8);
  r.status_detail = static_cast<uint8_t>(st & 0xFF);
  r.csg = req.csg;
  r.close = true;
  return r;
}

}  // namespace stmfd::iscsi::login
