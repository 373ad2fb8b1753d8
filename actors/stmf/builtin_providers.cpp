#include "actors/stmf/builtin_providers.hpp"

#include <caf/all.hpp>

#include "actors/lu/lu_actor.hpp"
#include "plugins/port/iscsi/port_actor.hpp"

namespace stmfd {

lu_provider sbd_lu_provider() {
  return {"sbd", provider_interface_version, [](caf::local_actor& stmf, const lu_start& s) {
            return stmf.spawn<lu_actor>(s.def, s.store, s.ring, s.power_on_ua);
          }};
}

port_provider iscsi_port_provider(std::shared_ptr<const iscsi::port_context> ctx) {
  return {"iscsi", provider_interface_version,
          [ctx](caf::local_actor& stmf, std::shared_ptr<io::ring> ring, caf::actor stmf_handle) {
            return stmf.spawn<iscsi::port_actor>(std::move(ring), std::move(stmf_handle), ctx);
          }};
}

}  // namespace stmfd
