#include "plugins/lu/ssc/media/loader.hpp"

namespace stmfd::ssc::media {

file_request loader::read(uint64_t offset, uint32_t len) {
  file_request r;
  r.what = file_request::op::read;
  r.offset = offset;
  r.length = len;
  return r;
}

file_request loader::fail(std::string why) {
  st_ = state::done;
  file_request r;
  r.what = file_request::op::failed;
  r.error = std::move(why);
  return r;
}

file_request loader::start(uint64_t file_size, bool writable) {
  writable_ = writable;
  if (file_size == 0) return format_blank();
  st_ = state::headers;
  return read(0, uint32_t(records_offset));
}

// A new cartridge: both header copies and an end-of-data record.
file_request loader::format_blank() {
  if (!writable_) return fail("the cartridge file is empty and cannot be written");
  h_ = blank_;
  h_.load_count = 1;
  out_ = blank_image(h_);
  eod_offset_ = records_offset;
  st_ = state::blank;
  file_request r;
  r.what = file_request::op::write;
  r.data = out_.data();
  r.length = uint32_t(out_.size());
  return r;
}

file_request loader::read_done(const uint8_t* data, size_t n) {
  switch (st_) {
    case state::headers: {
      auto a = n >= header_copy_len ? decode_header(data) : std::nullopt;
      auto b = n >= records_offset ? decode_header(data + header_copy_len) : std::nullopt;
      // Shorter than the header area and no header: formatting it was cut
      // short (nothing can have been written on it), so format it again.
      if (!a && !b && n < records_offset) return format_blank();
      if (!a && !b) return fail("not a cartridge of format version 1 (no valid header)");
      const bool use_a = a && (!b || a->load_count >= b->load_count);
      h_ = use_a ? *a : *b;
      older_copy_ = use_a ? 1 : 0;
      st_ = state::lead;
      return read(at_, 2 * tag_len);
    }
    case state::lead: return on_lead(data, n);
    case state::trail: {
      auto trail = n >= tag_len ? decode_tag(data, tag_kind::trail) : std::nullopt;
      if (!trail) return end_of_scan(at_);
      return on_trail(*trail);
    }
    default: return fail("loader: a read answered out of turn");
  }
}

// A lead tag (and, for records without payload, the trail right after it).
file_request loader::on_lead(const uint8_t* data, size_t n) {
  auto lead = n >= tag_len ? decode_tag(data, tag_kind::lead) : std::nullopt;
  if (!lead || lead->object != recs_.size() || lead->epoch < last_epoch_ || (lead->epoch >> 32) > h_.load_count)
    return end_of_scan(at_);
  lead_ = *lead;
  if (lead->length == 0) {
    auto trail = n >= 2 * tag_len ? decode_tag(data + tag_len, tag_kind::trail) : std::nullopt;
    if (!trail) return end_of_scan(at_);
    return on_trail(*trail);
  }
  st_ = state::trail;
  return read(at_ + tag_len + lead->length, tag_len);
}

file_request loader::on_trail(const record_tag& trail) {
  if (!same_record(lead_, trail)) return end_of_scan(at_);
  if (lead_.type == record_type::end_of_data) return end_of_scan(at_);
  if (recs_.size() >= max_records) return fail("the cartridge holds more records than this drive indexes");
  recs_.push_back({at_, lead_.length, lead_.type});
  last_epoch_ = lead_.epoch;
  at_ = recs_.back().end();
  st_ = state::lead;
  return read(at_, 2 * tag_len);
}

// End of data is at eod_offset: a clean end-of-data record there, or the
// first record a crash left incomplete (the next write replaces it).
file_request loader::end_of_scan(uint64_t eod_offset) {
  eod_offset_ = eod_offset;
  if (!writable_ || h_.write_protect) {
    st_ = state::done;
    return {};
  }
  ++h_.load_count;
  out_.assign(header_copy_len, 0);
  encode_header(h_, out_.data());
  st_ = state::bump;
  file_request r;
  r.what = file_request::op::write;
  r.offset = uint64_t(older_copy_) * header_copy_len;
  r.data = out_.data();
  r.length = header_copy_len;
  return r;
}

file_request loader::write_done() {
  if (st_ != state::blank && st_ != state::bump) return fail("loader: a write answered out of turn");
  st_ = state::done;
  return {};
}

cartridge loader::take() { return cartridge(h_, std::move(recs_), eod_offset_, writable_); }

}  // namespace stmfd::ssc::media
