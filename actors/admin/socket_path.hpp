#pragma once
// Where the admin socket is when nobody says otherwise: stmfd serves there
// and stmfadm connects there, so the two agree with no flags.
//   STMFD_ADMIN_SOCKET set:  that path (both binaries)
//   running as root:         /run/stmfd/admin.sock
//   otherwise:               $XDG_RUNTIME_DIR/stmfd/admin.sock, or
//                            /tmp/stmfd-<uid>/admin.sock without XDG_RUNTIME_DIR
// `stmfd --admin-socket PATH` and `stmfadm --socket PATH` override all of it.
#include <string>

namespace stmfd::admin {

std::string default_socket_path();

}  // namespace stmfd::admin
