#pragma once
// The providers this build ships, for main (and tests) to register.
#include <memory>

#include "actors/stmf/providers.hpp"
#include "plugins/port/iscsi/port_config.hpp"

namespace stmfd {

// Disk LUs: the LU shell actor driving the sbd core (plugins/lu/sbd).
lu_provider sbd_lu_provider();
// The iSCSI port provider serving `ctx`'s targets and portals.
port_provider iscsi_port_provider(std::shared_ptr<const iscsi::port_context> ctx);

}  // namespace stmfd
