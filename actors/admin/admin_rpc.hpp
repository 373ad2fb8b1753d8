#pragma once
// wire/admin.capnp's Admin interface on top of admin_service: converts each
// call's parameters into the service's plain types and its answers back.
// Runs on the admin thread's kj event loop; every method completes before
// it returns (the service waits for STMF itself), so calls are handled one
// at a time in the order they arrive and a change is committed before the
// next call is looked at.
#include <kj/memory.h>

#include "actors/admin/admin_service.hpp"
#include "wire/admin.capnp.h"

namespace stmfd::admin {

// Where the calls come from: fault injection is served on the Unix socket
// only (wire/admin.capnp injectFault).
enum class admin_origin { unix_socket, tcp };

kj::Own<wire::admin::Admin::Server> make_admin_rpc(admin_service& service,
                                                   admin_origin origin = admin_origin::unix_socket);

}  // namespace stmfd::admin
