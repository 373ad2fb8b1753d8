// The admin plane's statistics request (wire/admin.capnp `statistics`).
#include "actors/admin/admin_service.hpp"

namespace stmfd::admin {

status admin_service::statistics(stats_list& out) {
  std::string error;
  out = stmf_.statistics(error);
  if (!error.empty()) return {error_code::FAILED, error};
  return {};
}

}  // namespace stmfd::admin
