#include "plugins/port/fc/provider.hpp"

#include <cstdio>

#include <caf/all.hpp>

#include "actors/common/ask_all.hpp"
#include "actors/common/fwd.hpp"
#include "plugins/port/fc/lport_actor.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/vpd.hpp"

namespace stmfd::fc {

std::string wwn_name(uint64_t wwn) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "wwn.%016llx", static_cast<unsigned long long>(wwn));
  return buf;
}

std::shared_ptr<const provider_context> context_from(wire::cfg::Config::Reader cfg) {
  auto ctx = std::make_shared<provider_context>();
  auto hex = [](capnp::Text::Reader t) {  // validated: "wwn." and 16 hex digits
    std::string s(t.cStr(), t.size());
    return s.size() == 20 ? std::stoull(s.substr(4), nullptr, 16) : 0ull;
  };
  for (auto p : cfg.getFcPorts()) {
    port_config pc;
    pc.wwpn = hex(p.getWwpn());
    pc.wwnn = hex(p.getWwnn());
    pc.interface = p.getInterface();
    pc.driver = p.getDriver();
    pc.target_port_group = p.getTargetPortGroup();
    ctx->ports.push_back(std::move(pc));
  }
  ctx->settings.cmd_window = cfg.getIscsi().getCmdWindow();  // one command window for every transport
  return ctx;
}

namespace {

// The provider's actor: starts one local port actor per configured port,
// linked, so a failing port takes the provider down and STMF restarts both.
class provider_actor : public caf::event_based_actor {
 public:
  provider_actor(caf::actor_config& cfg, caf::actor stmf, std::shared_ptr<const provider_context> ctx,
                 std::vector<local_port> ports, std::shared_ptr<io::ring> ring)
      : caf::event_based_actor(cfg),
        stmf_(std::move(stmf)),
        ctx_(std::move(ctx)),
        ports_(std::move(ports)),
        ring_(std::move(ring)) {}

  caf::behavior make_behavior() override {
    for (auto& pc : ctx_->ports) {
      std::string name = wwn_name(pc.wwpn);
      for (auto& lp : ports_)
        if (lp.target_name == name)
          lports_.emplace_back(pc.wwpn, spawn<lport_actor, caf::linked>(stmf_, pc, lp, ctx_->settings, ring_));
    }
    return {
        [this](get_atom, rports_atom, uint64_t wwpn) -> caf::result<port_stats> {
          for (auto& [w, a] : lports_)
            if (w == wwpn) {
              auto rp = make_response_promise();
              request(a, std::chrono::seconds(5), get_atom::value, rports_atom::value)
                  .then([rp](port_stats& s) mutable { rp.deliver(s); },
                        [rp](caf::error& e) mutable { rp.deliver(std::move(e)); });
              return caf::delegated<port_stats>{};
            }
          return caf::make_error(caf::sec::invalid_argument);
        },
        // The contract's port details: every local port's, in config
        // order; a port that does not answer in time is left out.
        [this](get_atom, port_detail_atom) -> caf::result<port_detail_list> {
          auto rp = make_response_promise();
          std::vector<caf::actor> to;
          for (auto& [w, a] : lports_) to.push_back(a);
          ask_all<local_port_detail>(
              this, to, std::chrono::seconds(5),
              [rp](std::vector<local_port_detail>&& got) mutable { rp.deliver(port_detail_list(std::move(got))); },
              get_atom::value, port_detail_atom::value);
          return caf::delegated<port_detail_list>{};
        },
    };
  }
  void on_exit() override {
    // The links would carry a failure; an orderly exit is passed on too.
    for (auto& [w, a] : lports_) send_exit(a, caf::exit_reason::user_shutdown);
    lports_.clear();
    stmf_ = nullptr;
  }
  const char* name() const override { return "fc_provider"; }

 private:
  caf::actor stmf_;
  std::shared_ptr<const provider_context> ctx_;
  std::vector<local_port> ports_;
  std::shared_ptr<io::ring> ring_;  // FCoE sockets' I/O
  std::vector<std::pair<uint64_t, caf::actor>> lports_;
};

}  // namespace

port_provider provider(std::shared_ptr<const provider_context> ctx) {
  port_provider p;
  p.name = "fc";
  p.answers_port_details = true;
  for (auto& pc : ctx->ports) {
    local_port lp;
    lp.kind = transport::fc;
    lp.target_name = wwn_name(pc.wwpn);
    lp.target_port_group = pc.target_port_group;
    p.ports.push_back(std::move(lp));
  }
  // SPC-4 7.8.6 with the FC protocol identifier: the target port's NAA
  // designator (its WWPN), relative port, target port group, and the target
  // device's NAA designator (the WWNN).
  p.describe = [ctx](local_port& lp) {
    uint64_t wwnn = 0, wwpn = 0;
    for (auto& pc : ctx->ports)
      if (wwn_name(pc.wwpn) == lp.target_name) wwnn = pc.wwnn, wwpn = pc.wwpn;
    uint8_t buf[64];
    scsi::byte_writer w(buf, sizeof buf);
    scsi::vpd::put_fc_port_name(w, wwpn);
    scsi::vpd::put_relative_port(w, lp.relative_port_id);
    scsi::vpd::put_target_port_group(w, lp.target_port_group);
    scsi::vpd::put_fc_device_name(w, wwnn);
    lp.designators.assign(buf, buf + w.written());
  };
  p.spawn = [ctx](caf::local_actor& stmf, const port_start& s) {
    return stmf.spawn<provider_actor>(s.stmf, ctx, s.ports, s.ring);
  };
  return p;
}

}  // namespace stmfd::fc
