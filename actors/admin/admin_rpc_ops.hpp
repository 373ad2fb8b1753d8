#pragma once
// Admin RPC methods served outside admin_rpc.cpp (one file per area, so
// the method table there stays small): each fills its call's results from
// the admin service. They run on the admin thread and never throw for bad
// input (admin_rpc.cpp turns an unexpected exception into `failed`).
#include "actors/admin/admin_service.hpp"
#include "actors/admin/capnp_text.hpp"
#include "wire/admin.capnp.h"

namespace stmfd::admin {

// The framework's LU state as wire/admin.capnp reports it.
inline wire::admin::LuState wire_state(lu_state s) {
  switch (s) {
    case lu_state::online: return wire::admin::LuState::ONLINE;
    case lu_state::restarting: return wire::admin::LuState::RESTARTING;
    case lu_state::failed: return wire::admin::LuState::FAILED;
    case lu_state::offline: break;
  }
  return wire::admin::LuState::OFFLINE;
}

// A call's Status from the service's answer.
inline void set_status(wire::admin::Status::Builder out, const status& s) {
  out.setCode(s.code);
  out.setMessage(s.message);
}

// LUs, groups, views, ALUA groups: admin_rpc_lu.cpp.
void fill_lu(wire::admin::LuInfo::Builder out, const lu_listing& l);
void fill_groups(capnp::List<wire::admin::Group>::Builder out, const std::vector<group_listing>& groups);
void fill_alua_group(wire::admin::AluaGroup::Builder out, const tpg_info& g);
view_entry view_from(wire::admin::View::Reader v);
lu_request request_from(wire::admin::LuSpec::Reader spec);  // a LuSpec's disk LU (create-lu, modify-lu)

// statistics: admin_rpc_stats.cpp.
void serve_statistics(admin_service& service, wire::admin::Admin::StatisticsResults::Builder results);

// subscribe: admin_rpc_events.cpp (the delivery runs on the admin thread's
// event loop until the client drops the Subscription).
void serve_subscribe(admin_service& service, wire::admin::Admin::SubscribeParams::Reader params,
                     wire::admin::Admin::SubscribeResults::Builder results);

// listFcPorts: admin_rpc_fc.cpp.
void serve_list_fc_ports(admin_service& service, wire::admin::Admin::ListFcPortsResults::Builder results);

// listSessions, logoutSession: admin_rpc_sessions.cpp.
void serve_list_sessions(admin_service& service, wire::admin::Admin::ListSessionsParams::Reader params,
                         wire::admin::Admin::ListSessionsResults::Builder results);
void serve_logout_session(admin_service& service, wire::admin::Admin::LogoutSessionParams::Reader params,
                          wire::admin::Admin::LogoutSessionResults::Builder results);

// apply: admin_rpc_apply.cpp.
void serve_apply(admin_service& service, wire::admin::Admin::ApplyParams::Reader params,
                 wire::admin::Admin::ApplyResults::Builder results);

// Tape libraries (issue 8): admin_rpc_library.cpp.
void serve_list_libraries(admin_service& service, const std::string& name,
                          wire::admin::Admin::ListLibrariesResults::Builder results);
void serve_list_cartridges(admin_service& service, const std::string& library,
                           wire::admin::Admin::ListCartridgesResults::Builder results);
void serve_create_tape_drive(admin_service& service, wire::admin::Admin::CreateTapeDriveParams::Reader params,
                             wire::admin::Admin::CreateTapeDriveResults::Builder results);
void serve_create_cartridge(admin_service& service, wire::admin::Admin::CreateCartridgeParams::Reader params,
                            wire::admin::Admin::CreateCartridgeResults::Builder results);
void serve_import_cartridge(admin_service& service, wire::admin::Admin::ImportCartridgeParams::Reader params,
                            wire::admin::Admin::ImportCartridgeResults::Builder results);
// injectFault, listFaults, clearFaults: admin_rpc_faults.cpp (Unix socket only).
void serve_inject_fault(wire::admin::Admin::InjectFaultParams::Reader params,
                        wire::admin::Admin::InjectFaultResults::Builder results);
void serve_list_faults(wire::admin::Admin::ListFaultsResults::Builder results);
void serve_clear_faults(wire::admin::Admin::ClearFaultsParams::Reader params,
                        wire::admin::Admin::ClearFaultsResults::Builder results);
// itadm: admin_rpc_itadm.cpp.
void serve_create_target(admin_service& s, wire::admin::Admin::CreateTargetParams::Reader p,
                         wire::admin::Admin::CreateTargetResults::Builder r);
void serve_modify_target(admin_service& s, wire::admin::Admin::ModifyTargetParams::Reader p,
                         wire::admin::Admin::ModifyTargetResults::Builder r);
void serve_list_targets(admin_service& s, wire::admin::Admin::ListTargetsResults::Builder r);
// listTargets: the iscsi group of `out` (whose name is set).
void fill_target_iscsi(admin_service& s, wire::admin::TargetInfo::Builder out);
void serve_list_tpgs(admin_service& s, wire::admin::Admin::ListTpgsResults::Builder r);
status create_tpg_from(admin_service& s, wire::admin::TargetPortalGroup::Reader t);
initiator_entry initiator_from(wire::admin::InitiatorRecord::Reader r);
void serve_list_initiators(admin_service& s, wire::admin::Admin::ListInitiatorsResults::Builder r);
status discovery_auth_from(admin_service& s, wire::admin::TargetAuth::Reader a);

}  // namespace stmfd::admin
