#pragma once
// Result of building Data-In parameter data: either the bytes (length) or the
// sense that ends the command with CHECK CONDITION (conventions: errors are values).

#include <cstddef>
#include <optional>

#include "wire/scsi/sense.hpp"

namespace stmfd::scsi {

struct reply {
  std::optional<sense_info> error;
  size_t length = 0;  // bytes written to out: min(full length, allocation length, cap)
};

}  // namespace stmfd::scsi
