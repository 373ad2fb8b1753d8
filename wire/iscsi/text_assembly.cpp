#include "wire/iscsi/text_assembly.hpp"

namespace stmfd::iscsi {

text_assembly::step text_assembly::add(const uint8_t* data, size_t len, bool cont) {
  if (!open_) {
    text_.clear();
    pieces_ = 0;
  }
  if (pieces_ + 1 > max_pieces || text_.size() + len > max_bytes) {
    clear();
    return step::too_long;
  }
  text_.insert(text_.end(), data, data + len);
  ++pieces_;
  open_ = cont;
  return cont ? step::more : step::complete;
}

void text_assembly::clear() {
  text_.clear();
  text_.shrink_to_fit();
  pieces_ = 0;
  open_ = false;
}

}  // namespace stmfd::iscsi
