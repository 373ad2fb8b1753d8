#include "actors/admin/admin_rpc.hpp"

#include <kj/exception.h>

#include "actors/admin/admin_rpc_ops.hpp"

namespace stmfd::admin {
namespace {

using namespace wire::admin;

status not_implemented(const char* method) {
  return {ErrorCode::NOT_IMPLEMENTED, std::string(method) + " is not implemented yet"};
}

// An unexpected exception inside a handler becomes a `failed` status, not
// a broken connection (conventions: KJ exceptions end at the admin edge).
template <class Results, class F>
kj::Promise<void> guarded(Results results, F&& body) {
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { body(); })) {
    set_status(results.initStatus(), {ErrorCode::FAILED, std::string("internal error: ") + e->getDescription().cStr()});
  }
  return kj::READY_NOW;
}

class admin_rpc : public Admin::Server {
 public:
  admin_rpc(admin_service& s, admin_origin origin) : service_(s), origin_(origin) {}

  // Reached only on the Unix socket (0600: the caller is the daemon's
  // user already): nothing to check. Over TCP the per-connection gate
  // (admin_auth.hpp) answers authenticate itself.
  kj::Promise<void> authenticate(AuthenticateContext context) override {
    context.getResults().initStatus().setCode(ErrorCode::OK);
    return kj::READY_NOW;
  }

  kj::Promise<void> listLus(ListLusContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      std::vector<lu_listing> lus;
      auto st = service_.list_lus(str(context.getParams().getName()), lus);
      set_status(r.initStatus(), st);
      auto out = r.initLus(unsigned(lus.size()));
      for (unsigned i = 0; i < lus.size(); ++i) fill_lu(out[i], lus[i]);
    });
  }

  kj::Promise<void> createLu(CreateLuContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      auto spec = context.getParams().getSpec();
      if (!spec.isDisk()) return set_status(r.initStatus(), not_implemented("createLu for tape and changer LUs"));
      lu_request req = request_from(spec);
      std::string guid;
      set_status(r.initStatus(), service_.create_lu(req, guid));
      r.setGuid(guid);
    });
  }

  kj::Promise<void> modifyLu(ModifyLuContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      auto spec = context.getParams().getSpec();
      if (!spec.isDisk()) return set_status(r.initStatus(), not_implemented("modifyLu for tape and changer LUs"));
      set_status(r.initStatus(), service_.modify_lu(str(context.getParams().getName()), request_from(spec)));
    });
  }

  kj::Promise<void> importLu(ImportLuContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] {
      std::string guid;
      set_status(r.initStatus(), service_.import_lu(str(p.getPath()), str(p.getName()), guid));
      r.setGuid(guid);
    });
  }

  kj::Promise<void> deleteLu(DeleteLuContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      if (context.getParams().getKeepViews())
        return set_status(r.initStatus(), not_implemented("deleteLu with keepViews"));
      set_status(r.initStatus(), service_.delete_lu(str(context.getParams().getName())));
    });
  }

  kj::Promise<void> setLuOnline(SetLuOnlineContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] { set_status(r.initStatus(), service_.set_lu_online(str(p.getName()), p.getOnline())); });
  }

  kj::Promise<void> listHostGroups(ListHostGroupsContext context) override { return list_groups(context, true); }
  kj::Promise<void> listTargetGroups(ListTargetGroupsContext context) override { return list_groups(context, false); }
  kj::Promise<void> createHostGroup(CreateHostGroupContext context) override {
    return one_name(context, [&](auto n) { return service_.create_group(true, n); });
  }
  kj::Promise<void> createTargetGroup(CreateTargetGroupContext context) override {
    return one_name(context, [&](auto n) { return service_.create_group(false, n); });
  }
  kj::Promise<void> deleteHostGroup(DeleteHostGroupContext context) override {
    return one_name(context, [&](auto n) { return service_.delete_group(true, n); });
  }
  kj::Promise<void> deleteTargetGroup(DeleteTargetGroupContext context) override {
    return one_name(context, [&](auto n) { return service_.delete_group(false, n); });
  }
  kj::Promise<void> addHostGroupMember(AddHostGroupMemberContext context) override {
    return member(context, [&](auto g, auto m) { return service_.add_member(true, g, m); });
  }
  kj::Promise<void> addTargetGroupMember(AddTargetGroupMemberContext context) override {
    return member(context, [&](auto g, auto m) { return service_.add_member(false, g, m); });
  }
  kj::Promise<void> removeHostGroupMember(RemoveHostGroupMemberContext context) override {
    return member(context, [&](auto g, auto m) { return service_.remove_member(true, g, m); });
  }
  kj::Promise<void> removeTargetGroupMember(RemoveTargetGroupMemberContext context) override {
    return member(context, [&](auto g, auto m) { return service_.remove_member(false, g, m); });
  }

  kj::Promise<void> addView(AddViewContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      auto v = context.getParams().getView();
      uint16_t lun = 0;
      set_status(r.initStatus(), service_.add_view(view_from(v), v.getLunAssigned(), lun));
      r.setLun(lun);
    });
  }

  kj::Promise<void> removeView(RemoveViewContext context) override {
    auto r = context.getResults();
    return guarded(r,
                   [&] { set_status(r.initStatus(), service_.remove_view(view_from(context.getParams().getView()))); });
  }

  kj::Promise<void> listViews(ListViewsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      std::vector<view_entry> views;
      set_status(r.initStatus(), service_.list_views(str(context.getParams().getLogicalUnit()), views));
      auto out = r.initViews(unsigned(views.size()));
      for (unsigned i = 0; i < views.size(); ++i) {
        out[i].setLogicalUnit(views[i].lu);
        out[i].setHostGroup(views[i].host_group);
        out[i].setTargetGroup(views[i].target_group);
        out[i].setTarget(views[i].target);
        out[i].setLun(views[i].lun);
        out[i].setLunAssigned(true);
      }
    });
  }

  kj::Promise<void> listTargets(ListTargetsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_list_targets(service_, r); });
  }

  kj::Promise<void> listAluaGroups(ListAluaGroupsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      tpg_listing groups;
      set_status(r.initStatus(), service_.list_alua(groups));
      auto out = r.initGroups(unsigned(groups.size()));
      for (unsigned i = 0; i < groups.size(); ++i) fill_alua_group(out[i], groups[i]);
    });
  }

  kj::Promise<void> setAluaState(SetAluaStateContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] {
      set_status(r.initStatus(), service_.set_alua_state(p.getGroup(), str(p.getState()), str(p.getLogicalUnit())));
    });
  }

  kj::Promise<void> listFcPorts(ListFcPortsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_list_fc_ports(service_, r); });
  }

  kj::Promise<void> statistics(StatisticsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_statistics(service_, r); });
  }

  kj::Promise<void> subscribe(SubscribeContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_subscribe(service_, context.getParams(), r); });
  }

  kj::Promise<void> apply(ApplyContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_apply(service_, context.getParams(), r); });
  }

  // --- tape libraries (issue 8): admin_rpc_library.cpp ------------------
  kj::Promise<void> listLibraries(ListLibrariesContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_list_libraries(service_, str(context.getParams().getName()), r); });
  }
  kj::Promise<void> createLibrary(CreateLibraryContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] {
      set_status(r.initStatus(),
                 service_.create_library(str(p.getName()), str(p.getChanger()), p.getSlots(), p.getImportExport()));
    });
  }
  kj::Promise<void> deleteLibrary(DeleteLibraryContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] { set_status(r.initStatus(), service_.delete_library(str(p.getName()), p.getForce())); });
  }
  kj::Promise<void> createTapeDrive(CreateTapeDriveContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_create_tape_drive(service_, context.getParams(), r); });
  }
  kj::Promise<void> deleteTapeDrive(DeleteTapeDriveContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] { set_status(r.initStatus(), service_.delete_tape_drive(str(p.getName()), p.getForce())); });
  }
  kj::Promise<void> createCartridge(CreateCartridgeContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_create_cartridge(service_, context.getParams(), r); });
  }
  kj::Promise<void> importCartridge(ImportCartridgeContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_import_cartridge(service_, context.getParams(), r); });
  }
  kj::Promise<void> exportCartridge(ExportCartridgeContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      std::string path;
      set_status(r.initStatus(), service_.export_cartridge(str(context.getParams().getBarcode()), path));
      r.setPath(path);
    });
  }
  kj::Promise<void> listCartridges(ListCartridgesContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_list_cartridges(service_, str(context.getParams().getLibrary()), r); });
  }
  kj::Promise<void> setCartridgeWriteProtect(SetCartridgeWriteProtectContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(
        r, [&] { set_status(r.initStatus(), service_.set_write_protect(str(p.getBarcode()), p.getWriteProtect())); });
  }

  kj::Promise<void> injectFault(InjectFaultContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      if (!local(r)) return;
      serve_inject_fault(context.getParams(), r);
    });
  }
  kj::Promise<void> listFaults(ListFaultsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      if (!local(r)) return;
      serve_list_faults(r);
    });
  }
  kj::Promise<void> clearFaults(ClearFaultsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      if (!local(r)) return;
      serve_clear_faults(context.getParams(), r);
    });
  }

  // --- itadm (admin_rpc_itadm.cpp) ---
  kj::Promise<void> createTarget(CreateTargetContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_create_target(service_, context.getParams(), r); });
  }
  kj::Promise<void> modifyTarget(ModifyTargetContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_modify_target(service_, context.getParams(), r); });
  }
  kj::Promise<void> deleteTarget(DeleteTargetContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] { set_status(r.initStatus(), service_.delete_target(str(p.getName()), p.getForce())); });
  }
  kj::Promise<void> setTargetOnline(SetTargetOnlineContext context) override {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] { set_status(r.initStatus(), service_.set_target_online(str(p.getName()), p.getOnline())); });
  }
  kj::Promise<void> createTpg(CreateTpgContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { set_status(r.initStatus(), create_tpg_from(service_, context.getParams().getTpg())); });
  }
  kj::Promise<void> deleteTpg(DeleteTpgContext context) override {
    return one_name(context, [&](auto n) { return service_.delete_tpg(n); });
  }
  kj::Promise<void> listTpgs(ListTpgsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_list_tpgs(service_, r); });
  }
  kj::Promise<void> createInitiator(CreateInitiatorContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      set_status(r.initStatus(), service_.create_initiator(initiator_from(context.getParams().getRecord())));
    });
  }
  kj::Promise<void> modifyInitiator(ModifyInitiatorContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      set_status(r.initStatus(), service_.modify_initiator(initiator_from(context.getParams().getRecord())));
    });
  }
  kj::Promise<void> deleteInitiator(DeleteInitiatorContext context) override {
    return one_name(context, [&](auto n) { return service_.delete_initiator(n); });
  }
  kj::Promise<void> listInitiators(ListInitiatorsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_list_initiators(service_, r); });
  }
  kj::Promise<void> setDiscoveryAuth(SetDiscoveryAuthContext context) override {
    auto r = context.getResults();
    return guarded(r,
                   [&] { set_status(r.initStatus(), discovery_auth_from(service_, context.getParams().getAuth())); });
  }
  kj::Promise<void> modifyDefaults(ModifyDefaultsContext context) override {
    auto r = context.getResults();
    auto d = context.getParams().getDefaults();
    return guarded(
        r, [&] { set_status(r.initStatus(), service_.modify_defaults(str(d.getAuth()), str(d.getDiscoveryAuth()))); });
  }
  kj::Promise<void> listDefaults(ListDefaultsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] {
      std::string auth, disc;
      set_status(r.initStatus(), service_.list_defaults(auth, disc));
      auto d = r.initDefaults();
      d.setAuth(auth);
      d.setDiscoveryAuth(disc);
    });
  }
  kj::Promise<void> listSessions(ListSessionsContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_list_sessions(service_, context.getParams(), r); });
  }
  kj::Promise<void> logoutSession(LogoutSessionContext context) override {
    auto r = context.getResults();
    return guarded(r, [&] { serve_logout_session(service_, context.getParams(), r); });
  }

 private:
  // Fault injection is the Unix socket's only (the daemon's own user).
  template <class Results>
  bool local(Results& r) {
    if (origin_ == admin_origin::unix_socket) return true;
    set_status(r.initStatus(), {ErrorCode::PERMISSION_DENIED, "fault injection is served on the Unix socket only"});
    return false;
  }
  template <class Context>
  kj::Promise<void> list_groups(Context& context, bool hosts) {
    auto r = context.getResults();
    return guarded(r, [&] {
      std::vector<group_listing> groups;
      set_status(r.initStatus(), service_.list_groups(hosts, groups));
      fill_groups(r.initGroups(unsigned(groups.size())), groups);
    });
  }
  template <class Context, class F>
  kj::Promise<void> one_name(Context& context, F&& f) {
    auto r = context.getResults();
    return guarded(r, [&] { set_status(r.initStatus(), f(str(context.getParams().getName()))); });
  }
  template <class Context, class F>
  kj::Promise<void> member(Context& context, F&& f) {
    auto r = context.getResults();
    auto p = context.getParams();
    return guarded(r, [&] { set_status(r.initStatus(), f(str(p.getGroup()), str(p.getMember()))); });
  }

  admin_service& service_;
  admin_origin origin_;
};

}  // namespace

kj::Own<Admin::Server> make_admin_rpc(admin_service& service, admin_origin origin) {
  return kj::heap<admin_rpc>(service, origin);
}

}  // namespace stmfd::admin
