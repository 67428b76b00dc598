// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_rec_port: the record port of version 3's tables (docs/ARCHITECTURE.md section 6,
 * "Loading version 3's tables"). The host selects a table (RT_SEL), sets the first entry
 * (RT_IDX) and streams 32-bit words (any address of the RT_DATA window); when the words of one
 * entry of the selected table are in (hw/dejfa_regs.toml [[rtable]] `width`, rounded up to
 * words: dejfa_regs_pkg::RT_WORDS), the entry is written in the next cycle and the index moves
 * on. The same stream serves uncached word writes and write-combined bursts, and a whole load is
 * an entry a cycle at most.
 *
 * RT_SEL: bits RT_ID_W-1:0 the table id; bit 8 writes the active bank (GROUP_EN only: the
 * driver's live change of a rule's enable and action; elsewhere the shadow bank). Writing RT_SEL
 * zeroes RT_COUNT, the error bit and the staging register, so the driver checks each table it
 * loads; writing RT_IDX empties the staging register (a partial entry is dropped). Refused, with
 * the error bit set (it stays until the next RT_SEL) and nothing written: words
 * for an id without a table, an entry at an index of 65,536 or more, bit 8 with a table other
 * than GROUP_EN (the entry goes to the shadow bank). rst clears all.
 *
 * RT_FILL = n (0 .. 65,536) repeats the last entry written since RT_SEL at the next n indices
 * (a piecewise-constant table such as PORT_CLS, 65,536 entries, loads as one entry and a fill
 * per run): one a cycle, or in a table marked fill_lanes (dejfa_regs_pkg::RT_WIDE_FILL) up to
 * RT_FILL_LANES a cycle, to the end of the next index's aligned group of RT_FILL_LANES (tw_lanes
 * names the group's entries written, tw_idx the first; the tables' memories take them in one
 * write: dejfa_ram_2r_lanes). `busy` is high meanwhile and the register side holds further
 * writes to the port (the driver polls RT_COUNT for a long fill).
 * Refused with the error bit and nothing written: a fill with no entry written since RT_SEL, or
 * n above 65,536; the entries of a fill at an index of 65,536 or more are refused as above. A
 * fill drops a partial entry.
 *
 * The register side (dejfa_csr) gives one write pulse per register or word, in this clock.
 */
module dejfa_rec_port #(
  localparam int unsigned IW = dejfa_regs_pkg::RT_ID_W,
  localparam int unsigned MAXW = dejfa_regs_pkg::RT_MAX_WORDS,
  localparam int unsigned LN = dejfa_regs_pkg::RT_FILL_LANES
) (
  input  wire logic              clk,
  input  wire logic              rst,
  /// RT_SEL, RT_IDX and RT_DATA writes
  input  wire logic              sel_we,
  input  wire logic              idx_we,
  input  wire logic              data_we,
  input  wire logic              fill_we,
  input  wire logic [31:0]       wdata,
  /// a fill is running: no write may arrive
  output logic                   busy,
  /// read-back: RT_SEL, RT_IDX (the next entry), RT_COUNT (entries written since RT_SEL), and
  /// the error bit (a refusal since RT_SEL)
  output logic [31:0]            sel_q,
  output logic [31:0]            idx_q,
  output logic [31:0]            count_q,
  output logic                   err_q,
  /// the entry write, one cycle after its last word: table, whether to the active bank, entry,
  /// and the record (words beyond the table's width are zero)
  output logic                   tw_en,
  output logic [IW-1:0]          tw_tbl,
  output logic                   tw_active,
  output logic [15:0]            tw_idx,
  /// the entries of tw_idx's aligned group of LN written (bit l: entry tw_idx - tw_idx mod LN
  /// + l): entry tw_idx alone, or a fill's run in a table marked fill_lanes
  output logic [LN-1:0]          tw_lanes,
  output logic [32*MAXW-1:0]     tw_data
);
  localparam int unsigned KW = $clog2(MAXW + 1);
  localparam int unsigned LB = $clog2(LN);

  wire logic [IW-1:0] tbl = sel_q[IW-1:0];
  wire logic [3:0] words = dejfa_regs_pkg::RT_WORDS[4*tbl +: 4];
  wire logic active_ok = sel_q[8] == 1'b0 || tbl == dejfa_regs_pkg::RT_GROUP_EN;

  logic [32*MAXW-1:0] stage_q;
  logic [KW-1:0]      k_q;     // words staged
  logic               have_q;  // an entry was written since RT_SEL (tw_* hold it)
  logic [16:0]        fill_q;  // entries of a fill still to write
  assign busy = fill_q != '0;

  wire logic last = data_we && words != '0 && 32'(k_q) + 1 == 32'(words);
  wire logic fits = idx_q[31:16] == '0;

  // A fill cycle's entries: to the end of the index's aligned group in a fill-lane table, at most
  // what is left of the fill; else one. A group never straddles index 65,536 (a multiple of LN),
  // so `fits` holds for all of its entries or none.
  wire logic [LB:0] room = dejfa_regs_pkg::RT_WIDE_FILL[tbl] ? (LB+1)'(LN) - (LB+1)'(idx_q[LB-1:0])
                                                              : (LB+1)'(1);
  wire logic [LB:0] step = fill_q < 17'(room) ? fill_q[LB:0] : room;
  wire logic [2*LN-1:0] run = ((2*LN)'(1) << step) - 1'b1;
  wire logic [LN-1:0] one = LN'(1) << idx_q[LB-1:0];

  always_ff @(posedge clk) begin
    tw_en <= 1'b0;
    if (busy) begin
      if (fits) begin
        tw_en    <= 1'b1;
        tw_idx   <= idx_q[15:0];
        tw_lanes <= LN'(run << idx_q[LB-1:0]);
        count_q  <= count_q + 32'(step);
      end else begin
        err_q <= 1'b1;
      end
      idx_q  <= idx_q + 32'(step);
      fill_q <= fill_q - 17'(step);
    end else if (sel_we) begin
      sel_q   <= wdata;
      count_q <= '0;
      err_q   <= 1'b0;
      stage_q <= '0;
      k_q     <= '0;
      have_q  <= 1'b0;
    end else if (fill_we) begin
      stage_q <= '0;
      k_q     <= '0;
      if (!have_q || wdata > 32'd65536) err_q <= 1'b1;
      else fill_q <= wdata[16:0];
    end else if (idx_we) begin
      idx_q   <= wdata;
      stage_q <= '0;
      k_q     <= '0;
    end else if (data_we) begin
      if (words == '0) begin
        err_q <= 1'b1;
      end else if (last) begin
        if (fits) begin
          tw_en     <= 1'b1;
          tw_tbl    <= tbl;
          tw_active <= sel_q[8] && active_ok;
          tw_idx    <= idx_q[15:0];
          tw_lanes  <= one;
          tw_data   <= stage_q;
          tw_data[32*k_q +: 32] <= wdata;
          count_q   <= count_q + 1;
          have_q    <= 1'b1;
        end
        if (!fits || !active_ok) err_q <= 1'b1;
        idx_q   <= idx_q + 1;
        stage_q <= '0;
        k_q     <= '0;
      end else begin
        stage_q[32*k_q +: 32] <= wdata;
        k_q <= k_q + 1'b1;
      end
    end
    if (rst) begin
      tw_en   <= 1'b0;
      sel_q   <= '0;
      idx_q   <= '0;
      count_q <= '0;
      err_q   <= 1'b0;
      stage_q <= '0;
      k_q     <= '0;
      have_q  <= 1'b0;
      fill_q  <= '0;
    end
  end

  `DEJFA_ASSERT(k_below_words_A, k_q == '0 || 32'(k_q) < 32'(words), clk, rst)
  `DEJFA_ASSERT(one_write_a_cycle_A, 32'(sel_we) + 32'(idx_we) + 32'(data_we) + 32'(fill_we) <= 1, clk, rst)
  `DEJFA_ASSERT(no_write_while_filling_A, !busy || !(sel_we || idx_we || data_we || fill_we), clk, rst)
endmodule

`resetall
`default_nettype wire
