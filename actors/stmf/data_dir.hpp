#pragma once
// dataDir (config/README.md) is created at start when missing, like
// `mkdir -p`: missing parents with mode 0755, dataDir itself 0750 (LU files
// and, later, the persisted state live there; only root and its group may
// look in). An existing one is left as it is.
#include <string>

namespace stmfd {

struct data_dir_result {
  bool created = false;  // it was missing and is there now
  std::string error;     // empty: it exists (or was created)
};

data_dir_result ensure_data_dir(const std::string& dir);

}  // namespace stmfd
