// The daemon connection and the mapping of its answers to exit codes.
#include <cstdio>

#include "actors/stmfadm/shell.hpp"

namespace stmfd::stmfadm {

wire::admin::Admin::Client& connection::admin() {
  if (!admin_) {
    client_ = std::make_unique<capnp::EzRpcClient>(kj::str("unix:", path_));
    admin_ = std::make_unique<wire::admin::Admin::Client>(client_->getMain<wire::admin::Admin>());
  }
  return *admin_;
}

int report(const std::string& program, wire::admin::Status::Reader status) {
  using wire::admin::ErrorCode;
  auto code = status.getCode();
  if (code == ErrorCode::OK) return exit_ok;
  std::fprintf(stderr, "%s: %s\n", program.c_str(), status.getMessage().cStr());
  switch (code) {
    case ErrorCode::NOT_FOUND: return exit_not_found;
    case ErrorCode::ALREADY_EXISTS: return exit_exists;
    case ErrorCode::CONFLICT: return exit_conflict;
    case ErrorCode::INVALID_ARGUMENT: return exit_invalid;
    case ErrorCode::NOT_IMPLEMENTED: return exit_not_implemented;
    case ErrorCode::PERMISSION_DENIED: return exit_denied;
    default: return exit_failed;
  }
}

}  // namespace stmfd::stmfadm
