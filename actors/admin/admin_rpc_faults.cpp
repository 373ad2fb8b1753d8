// Admin RPC: injectFault, listFaults, clearFaults (wire/admin.capnp; issue
// 10). The registry is io/faults.hpp's, process-wide: these calls arm it
// directly, without a hop through STMF. admin_rpc.cpp refuses them over TCP
// before they get here.
#include "actors/admin/admin_rpc_ops.hpp"
#include "actors/common/faults.hpp"
#include "actors/common/log.hpp"

namespace stmfd::admin {

using namespace wire::admin;

namespace {

std::string text(capnp::Text::Reader t) { return {t.cStr(), t.size()}; }

void set(Status::Builder out, ErrorCode code, const std::string& message) {
  out.setCode(code);
  out.setMessage(message);
}

void fill_spec(FaultSpec::Builder out, faults::point p, const faults::spec& s) {
  out.setPoint(std::string(faults::name_of(p)));
  out.setAction(std::string(faults::name_of(s.act)));
  out.setAfter(s.after);
  out.setTimes(s.times);
  out.setPercent(s.percent);
  out.setSeed(s.seed);
  out.setDelayMs(s.ms);
  out.setMatch(s.match);
}

}  // namespace

void serve_inject_fault(Admin::InjectFaultParams::Reader params, Admin::InjectFaultResults::Builder results) {
  auto f = params.getFault();
  auto p = faults::point_named(text(f.getPoint()));
  if (!p) return set(results.initStatus(), ErrorCode::NOT_FOUND, "no fault point named '" + text(f.getPoint()) + "'");
  faults::spec s;
  if (f.getAction().size() > 0) {
    auto a = faults::action_named(text(f.getAction()));
    if (!a)
      return set(results.initStatus(), ErrorCode::INVALID_ARGUMENT, "no action named '" + text(f.getAction()) + "'");
    s.act = *a;
  }
  s.after = f.getAfter() == 0 ? 1 : f.getAfter();
  s.times = f.getTimes();
  s.percent = f.getPercent() == 0 ? 100 : f.getPercent();
  s.seed = f.getSeed();
  if (f.getDelayMs() != 0) s.ms = f.getDelayMs();
  s.match = text(f.getMatch());
  if (auto err = faults::arm(*p, s); !err.empty()) return set(results.initStatus(), ErrorCode::INVALID_ARGUMENT, err);
  log::warn("admin: fault point {} armed (action {}, after {}, times {}, percent {}, seed {})", faults::name_of(*p),
            faults::name_of(s.act == faults::action::none ? faults::action::crash : s.act), s.after, s.times, s.percent,
            s.seed);
  set(results.initStatus(), ErrorCode::OK, "");
}

void serve_list_faults(Admin::ListFaultsResults::Builder results) {
  auto all = faults::list();
  auto out = results.initPoints(unsigned(all.size()));
  for (unsigned i = 0; i < all.size(); ++i) {
    auto& st = all[i];
    auto o = out[i];
    o.setName(std::string(st.name));
    std::vector<std::string> acts;
    for (unsigned a = 1; a < unsigned(faults::action::count_); ++a)
      if (st.allowed & (1u << a)) acts.emplace_back(faults::name_of(faults::action(a)));
    auto l = o.initActions(unsigned(acts.size()));
    for (unsigned k = 0; k < acts.size(); ++k) l.set(k, acts[k]);
    o.setArmed(st.armed);
    if (st.armed) fill_spec(o.initSpec(), st.p, st.armed_with);
    o.setPasses(st.passes);
    o.setFirings(st.firings);
  }
  set(results.initStatus(), ErrorCode::OK, "");
}

void serve_clear_faults(Admin::ClearFaultsParams::Reader params, Admin::ClearFaultsResults::Builder results) {
  auto name = text(params.getPoint());
  if (name.empty()) {
    faults::disarm_all();
  } else if (auto p = faults::point_named(name)) {
    faults::disarm(*p);
  } else {
    return set(results.initStatus(), ErrorCode::NOT_FOUND, "no fault point named '" + name + "'");
  }
  set(results.initStatus(), ErrorCode::OK, "");
}

}  // namespace stmfd::admin
