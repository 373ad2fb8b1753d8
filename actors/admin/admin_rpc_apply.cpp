// wire/admin.capnp `apply`: the transactional apply (admin_apply.cpp).
#include "actors/admin/admin_rpc_ops.hpp"

namespace stmfd::admin {

void serve_apply(admin_service& service, wire::admin::Admin::ApplyParams::Reader params,
                 wire::admin::Admin::ApplyResults::Builder results) {
  auto json = params.getDesired().getJson();
  std::vector<std::string> diff;
  auto st = service.apply(std::string(json.cStr(), json.size()), params.getDryRun(), diff);
  auto status = results.initStatus();
  status.setCode(st.code);
  status.setMessage(st.message);
  auto changes = results.initDiff().initChanges(unsigned(diff.size()));
  for (unsigned i = 0; i < diff.size(); ++i) changes.set(i, diff[i]);
}

}  // namespace stmfd::admin
