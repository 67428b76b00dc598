// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * dejfa_hdr_wide: the spec vector and the wide classifier of version 3's header tables
 * (docs/ARCHITECTURE.md section 6, "The spec vector and the wide classifier"; docs/IMAGE.md
 * section 4.3). Version 1's classifier with its comparators replaced by lookups: a packet's
 * address classes (dejfa_addr_class) and ports select wide classes (WCLS_ADDR, WCLS_PORT), whose
 * rows over the WIDE_N wide slots are AND-ed as version 1 ANDs its rows; its small fields select
 * classes (version 1's key maps) whose rows run over SPEC_N + WIDE_N columns: the first SPEC_N
 * bits of their AND are the spec vector that dejfa_hdr_verify's lanes read, the rest the wide
 * slots' small-field conditions.
 *
 *   (0) WCLS_ADDR at both address classes, WCLS_PORT at both ports, the five key maps; the
 *       payload-size class by comparison with DSIZEB_N boundaries (registers)
 *   (1) rows: each wide row table at the forward and the reversed class, each small row table at
 *       its class; BIDIR
 *   (2) spec  = ip & AND(small rows)[SPEC_N-1:0]
 *       wide  = ip & (fwd | rev & BIDIR) & AND(small rows)[SPEC_N +: WIDE_N]
 *       fwd   = SRC[wa_s] & DST[wa_d] & SPORT[wp_s] & DPORT[wp_d]
 *       rev   = SRC[wa_d] & DST[wa_s] & SPORT[wp_d] & DPORT[wp_s]
 *
 * One packet a cycle, latency 3. Tables are written one entry a cycle (tw_tbl: hw/dejfa_regs.toml
 * [[rtable]] ids; rows in 64-bit lanes, entry = row << lane bits | lane); each bank has its own
 * memories or a bank address bit on a write port apart from the read, so the loader, writing the
 * shadow bank, never disturbs lookups of the active one.
 */
module dejfa_hdr_wide #(
  /// address classes (ADDR_CLS_N): a power of two, 4 .. 32768
  parameter int unsigned ACLS_N = 64,
  /// small-field specs (SPEC_N): a multiple of 64
  parameter int unsigned SPEC_N = 64,
  /// wide slots (WIDE_N): a power of two, 64 .. 4096
  parameter int unsigned WIDE_N = 64,
  /// wide classes per kind (WCLS_N): a power of two, 2 .. 4096
  parameter int unsigned WCLS_N = 16,
  /// classes per small field (CLS_N): a power of two, 2 .. 256
  parameter int unsigned CLS_N = 16,
  /// payload-size boundaries (DSIZEB_N), 1 .. 254
  parameter int unsigned DSIZEB_N = 8,
  /// width of the fields carried beside a packet, at least 1
  parameter int unsigned SIDE_W = 1,
  /// the row memories' ram_style ("block"; "distributed" for LUTRAM)
  parameter ROW_STYLE = "block",
  localparam int unsigned AL = $clog2(ACLS_N),
  localparam int unsigned WL = $clog2(WCLS_N),
  localparam int unsigned CL = $clog2(CLS_N),
  localparam int unsigned DC = DSIZEB_N + 2,  // payload-size classes (0 = unknown)
  localparam int unsigned DL = $clog2(DC),
  localparam int unsigned COLS = SPEC_N + WIDE_N
) (
  input  wire logic                clk,
  input  wire logic                rst,
  /// table writes, one a cycle: entry tw_idx of table tw_tbl (dejfa_regs_pkg::RT_*) of bank
  /// tw_bank, from tw_data's low bits (a class id, a boundary {valid << 16 | bound}, a row lane)
  input  wire logic                tw_en,
  input  wire logic [dejfa_regs_pkg::RT_ID_W-1:0] tw_tbl,
  input  wire logic                tw_bank,
  input  wire logic [15:0]         tw_idx,
  /// WCLS_PORT only: the entries of tw_idx's aligned group of RT_FILL_LANES written (a fill's
  /// lanes, dejfa_rec_port's tw_lanes); the other tables take entry tw_idx alone
  input  wire logic [dejfa_regs_pkg::RT_FILL_LANES-1:0] tw_lanes,
  input  wire logic [63:0]         tw_data,
  /// the bank lookups entering now read
  input  wire logic                act_bank,
  /// a packet: IP, its address classes, whether it has ports (TCP/UDP, not a later fragment),
  /// its ports, and its small fields as the parser gives them (l4: 0 none, 1 TCP, 2 UDP,
  /// 3 ICMP, 4 ICMPv6)
  input  wire logic                s_valid,
  input  wire logic                s_ip,
  input  wire logic [AL-1:0]       s_acls_s,
  input  wire logic [AL-1:0]       s_acls_d,
  input  wire logic                s_ports,
  input  wire logic [15:0]         s_sport,
  input  wire logic [15:0]         s_dport,
  input  wire logic                s_v6,
  input  wire logic [2:0]          s_l4,
  input  wire logic [7:0]          s_proto,
  input  wire logic [7:0]          s_ttl,
  input  wire logic [7:0]          s_tcp_flags,
  input  wire logic [7:0]          s_icmp_type,
  input  wire logic [7:0]          s_icmp_code,
  input  wire logic                s_payload_valid,
  input  wire logic [15:0]         s_payload_len,
  input  wire logic [SIDE_W-1:0]   s_side,
  /// the packet of 3 cycles ago: its spec vector and the header match of every wide slot
  output logic                     m_valid,
  output logic [SPEC_N-1:0]        m_spec,
  output logic [WIDE_N-1:0]        m_wide,
  output logic [SIDE_W-1:0]        m_side
);
  localparam int unsigned WLANES = WIDE_N / 64;
  localparam int unsigned CLANES = COLS / 64;
  localparam int unsigned WLB = WLANES > 1 ? $clog2(WLANES) : 0;  // lane bits of a wide row entry
  localparam int unsigned CLB = CLANES > 1 ? $clog2(CLANES) : 0;  // lane bits of a small row entry
  localparam int unsigned DB_P2 = DSIZEB_N > 2 ? 1 << $clog2(DSIZEB_N) : 2;
  localparam int unsigned DBL = $clog2(DB_P2);

  initial begin
    if (ACLS_N < 4 || ACLS_N > 32768 || (1 << AL) != ACLS_N) $fatal(1, "dejfa_hdr_wide: ACLS_N must be a power of two, 4 .. 32768 (%m)");
    if (SPEC_N < 64 || SPEC_N % 64 != 0) $fatal(1, "dejfa_hdr_wide: SPEC_N must be a multiple of 64 (%m)");
    if (WIDE_N < 64 || WIDE_N > 4096 || (1 << $clog2(WIDE_N)) != WIDE_N) $fatal(1, "dejfa_hdr_wide: WIDE_N must be a power of two, 64 .. 4096 (%m)");
    if (WCLS_N < 2 || WCLS_N > 4096 || (1 << WL) != WCLS_N) $fatal(1, "dejfa_hdr_wide: WCLS_N must be a power of two, 2 .. 4096 (%m)");
    if (CLS_N < 2 || CLS_N > 256 || (1 << CL) != CLS_N) $fatal(1, "dejfa_hdr_wide: CLS_N must be a power of two, 2 .. 256 (%m)");
    if (DSIZEB_N < 1 || DSIZEB_N > 254) $fatal(1, "dejfa_hdr_wide: DSIZEB_N must be 1 .. 254 (%m)");
    if (SIDE_W < 1) $fatal(1, "dejfa_hdr_wide: SIDE_W must be at least 1 (%m)");
  end

  // ---------------------------------------------------------------- stage 0
  // Wide classes of the address classes and of the ports: a memory per bank (port A writes the
  // shadow bank or reads the active one, port B reads).
  logic [WL-1:0] wa_a [2];
  logic [WL-1:0] wa_b [2];
  logic [WL-1:0] wp_a [2];
  logic [WL-1:0] wp_b [2];
  for (genvar b = 0; b < 2; b++) begin : g_wcls
    logic we_a, we_p;
    assign we_a = (tw_en && tw_tbl == dejfa_regs_pkg::RT_WCLS_ADDR) && tw_bank == b[0];
    assign we_p = (tw_en && tw_tbl == dejfa_regs_pkg::RT_WCLS_PORT) && tw_bank == b[0];
    dejfa_ram_2r #(.DEPTH(ACLS_N), .WIDTH(WL)) u_addr (
      .clk, .we(we_a), .addr_a(we_a ? tw_idx[AL-1:0] : s_acls_s), .wdata(tw_data[WL-1:0]),
      .rd_a(wa_a[b]), .addr_b(s_acls_d), .rd_b(wa_b[b])
    );
    dejfa_ram_2r_lanes #(.DEPTH(65536), .WIDTH(WL), .LANES(dejfa_regs_pkg::RT_FILL_LANES)) u_port (
      .clk, .we_lanes(we_p ? tw_lanes : '0), .addr_a(we_p ? tw_idx : s_sport), .wdata(tw_data[WL-1:0]),
      .rd_a(wp_a[b]), .addr_b(s_dport), .rd_b(wp_b[b])
    );
  end

  // Key maps, both banks in one memory (the bank is the top address bit): the write port is not
  // the read port.
  wire logic tcp = s_l4 == 3'd1;
  wire logic icmp = s_l4 == 3'd3 || s_l4 == 3'd4;
  logic [CL-1:0] c_proto, c_ttl, c_tcpf, c_ity, c_ico;
  dejfa_ram_1w1r #(.DEPTH(2 * 4096), .WIDTH(CL)) u_proto_map (
    .clk, .we((tw_en && tw_tbl == dejfa_regs_pkg::RT_S_PROTO_MAP)), .waddr({tw_bank, tw_idx[11:0]}),
    .wdata(tw_data[CL-1:0]), .raddr({act_bank, s_v6, s_l4, s_proto}), .rdata(c_proto)
  );
  dejfa_ram_1w1r #(.DEPTH(2 * 256), .WIDTH(CL)) u_ttl_map (
    .clk, .we((tw_en && tw_tbl == dejfa_regs_pkg::RT_S_TTL_MAP)), .waddr({tw_bank, tw_idx[7:0]}),
    .wdata(tw_data[CL-1:0]), .raddr({act_bank, s_ttl}), .rdata(c_ttl)
  );
  dejfa_ram_1w1r #(.DEPTH(2 * 512), .WIDTH(CL)) u_tcpf_map (
    .clk, .we((tw_en && tw_tbl == dejfa_regs_pkg::RT_S_TCPF_MAP)), .waddr({tw_bank, tw_idx[8:0]}),
    .wdata(tw_data[CL-1:0]), .raddr({act_bank, tcp, s_tcp_flags}), .rdata(c_tcpf)
  );
  dejfa_ram_1w1r #(.DEPTH(2 * 512), .WIDTH(CL)) u_itype_map (
    .clk, .we((tw_en && tw_tbl == dejfa_regs_pkg::RT_S_ITYPE_MAP)), .waddr({tw_bank, tw_idx[8:0]}),
    .wdata(tw_data[CL-1:0]), .raddr({act_bank, icmp, s_icmp_type}), .rdata(c_ity)
  );
  dejfa_ram_1w1r #(.DEPTH(2 * 512), .WIDTH(CL)) u_icode_map (
    .clk, .we((tw_en && tw_tbl == dejfa_regs_pkg::RT_S_ICODE_MAP)), .waddr({tw_bank, tw_idx[8:0]}),
    .wdata(tw_data[CL-1:0]), .raddr({act_bank, icmp, s_icmp_code}), .rdata(c_ico)
  );

  // Payload-size boundaries: registers, compared all at once (1 + the number of valid
  // boundaries <= the length, counted by dejfa_ones), as version 1 does.
  (* ram_style = "logic" *) logic [16:0] db_q [2 << DBL];
  always_ff @(posedge clk) begin
    if ((tw_en && tw_tbl == dejfa_regs_pkg::RT_S_DSIZE_BOUNDS) && 32'(tw_idx) < 32'(DSIZEB_N)) begin
      db_q[{tw_bank, tw_idx[DBL-1:0]}] <= tw_data[16:0];
    end
  end
  logic [DB_P2-1:0] le_ds;
  always_comb begin
    le_ds = '0;
    for (int e = 0; e < DSIZEB_N; e++) begin
      le_ds[e] = db_q[{act_bank, DBL'(e)}][16] && db_q[{act_bank, DBL'(e)}][15:0] <= s_payload_len;
    end
  end
  logic [DBL:0] n_ds;
  dejfa_ones #(.N(DB_P2)) u_n_ds (.v(le_ds), .cnt(n_ds));

  logic              p1_val, p1_bank, p1_ip, p1_ports;
  logic [DL-1:0]     p1_dcls;
  logic [SIDE_W-1:0] p1_side;
  always_ff @(posedge clk) begin
    p1_val  <= s_valid && !rst;
    p1_bank <= act_bank;
    p1_ip   <= s_ip;
    p1_ports <= s_ports;
    p1_dcls <= s_payload_valid ? DL'(n_ds + 1'b1) : '0;
    p1_side <= s_side;
  end

  // ---------------------------------------------------------------- stage 1
  wire logic [WL-1:0] wa_s = wa_a[p1_bank];
  wire logic [WL-1:0] wa_d = wa_b[p1_bank];
  wire logic [WL-1:0] wp_s = p1_ports ? wp_a[p1_bank] : '0;
  wire logic [WL-1:0] wp_d = p1_ports ? wp_b[p1_bank] : '0;

  // Wide rows: table t, a memory per bank and lane, read at the forward (port A) and the
  // reversed (port B) class.
  logic [WIDE_N-1:0] fwd_q [4];
  logic [WIDE_N-1:0] rev_q [4];
  logic [WIDE_N-1:0] fwd_b [2][4];
  logic [WIDE_N-1:0] rev_b [2][4];
  wire logic [WL-1:0] wrow = WL'(32'(tw_idx) >> WLB);
  for (genvar t = 0; t < 4; t++) begin : g_wt
    localparam logic [dejfa_regs_pkg::RT_ID_W-1:0] ID =
        t == 0 ? dejfa_regs_pkg::RT_WROWS_SRC : t == 1 ? dejfa_regs_pkg::RT_WROWS_DST :
        t == 2 ? dejfa_regs_pkg::RT_WROWS_SPORT : dejfa_regs_pkg::RT_WROWS_DPORT;
    logic [WL-1:0] af, ar;
    assign af = t == 0 ? wa_s : t == 1 ? wa_d : t == 2 ? wp_s : wp_d;
    assign ar = t == 0 ? wa_d : t == 1 ? wa_s : t == 2 ? wp_d : wp_s;
    for (genvar b = 0; b < 2; b++) begin : g_b
      for (genvar l = 0; l < WLANES; l++) begin : g_l
        logic we;
        assign we = (tw_en && tw_tbl == ID) && tw_bank == b[0] && (32'(tw_idx) & ((32'd1 << WLB) - 1)) == l &&
                    (32'(tw_idx) >> WLB) < 32'(WCLS_N);
        dejfa_ram_2r #(.DEPTH(WCLS_N), .WIDTH(64), .STYLE(ROW_STYLE)) u_row (
          .clk, .we, .addr_a(we ? wrow : af), .wdata(tw_data), .rd_a(fwd_b[b][t][64*l +: 64]),
          .addr_b(ar), .rd_b(rev_b[b][t][64*l +: 64])
        );
      end
    end
  end

  // `<>` slots: a register row per bank, written a lane at a time.
  logic [WIDE_N-1:0] bidir_q [2];
  always_ff @(posedge clk) begin
    for (int l = 0; l < WLANES; l++) begin
      if ((tw_en && tw_tbl == dejfa_regs_pkg::RT_WBIDIR) && 32'(tw_idx) == 32'(l)) bidir_q[tw_bank][64*l +: 64] <= tw_data;
    end
  end

  // Small rows: field f, a memory per lane with the bank as the top address bit, read at the
  // field's class.
  logic [COLS-1:0] small_q [6];
  for (genvar f = 0; f < 6; f++) begin : g_sf
    localparam logic [dejfa_regs_pkg::RT_ID_W-1:0] ID =
        f == 0 ? dejfa_regs_pkg::RT_S_PROTO_ROWS : f == 1 ? dejfa_regs_pkg::RT_S_TTL_ROWS :
        f == 2 ? dejfa_regs_pkg::RT_S_TCPF_ROWS : f == 3 ? dejfa_regs_pkg::RT_S_ITYPE_ROWS :
        f == 4 ? dejfa_regs_pkg::RT_S_ICODE_ROWS : dejfa_regs_pkg::RT_S_DSIZE_ROWS;
    localparam int unsigned ROWS = f == 5 ? 1 << DL : CLS_N;
    localparam int unsigned RL = $clog2(ROWS);
    logic [RL-1:0] cls;
    assign cls = f == 0 ? RL'(c_proto) : f == 1 ? RL'(c_ttl) : f == 2 ? RL'(c_tcpf) :
                 f == 3 ? RL'(c_ity) : f == 4 ? RL'(c_ico) : RL'(p1_dcls);
    for (genvar l = 0; l < CLANES; l++) begin : g_l
      logic we;
      assign we = (tw_en && tw_tbl == ID) && (32'(tw_idx) & ((32'd1 << CLB) - 1)) == l &&
                  (32'(tw_idx) >> CLB) < 32'(ROWS);
      dejfa_ram_1w1r #(.DEPTH(2 * ROWS), .WIDTH(64), .STYLE(ROW_STYLE)) u_row (
        .clk, .we, .waddr({tw_bank, RL'(32'(tw_idx) >> CLB)}), .wdata(tw_data),
        .raddr({p1_bank, cls}), .rdata(small_q[f][64*l +: 64])
      );
    end
  end

  logic              p2_val, p2_bank, p2_ip;
  logic [SIDE_W-1:0] p2_side;
  logic [WIDE_N-1:0] p2_bidir;
  always_ff @(posedge clk) begin
    p2_val   <= p1_val && !rst;
    p2_bank  <= p1_bank;
    p2_ip    <= p1_ip;
    p2_side  <= p1_side;
    p2_bidir <= bidir_q[p1_bank];
  end

  // ---------------------------------------------------------------- stage 2: AND
  always_comb begin
    for (int t = 0; t < 4; t++) begin
      fwd_q[t] = fwd_b[p2_bank][t];
      rev_q[t] = rev_b[p2_bank][t];
    end
  end
  wire logic [COLS-1:0] small_and = small_q[0] & small_q[1] & small_q[2] & small_q[3] &
                                    small_q[4] & small_q[5];
  wire logic [WIDE_N-1:0] fwd = fwd_q[0] & fwd_q[1] & fwd_q[2] & fwd_q[3];
  wire logic [WIDE_N-1:0] rev = rev_q[0] & rev_q[1] & rev_q[2] & rev_q[3] & p2_bidir;
  always_ff @(posedge clk) begin
    m_valid <= p2_val && !rst;
    m_spec  <= {SPEC_N{p2_ip}} & small_and[SPEC_N-1:0];
    m_wide  <= {WIDE_N{p2_ip}} & (fwd | rev) & small_and[SPEC_N +: WIDE_N];
    m_side  <= p2_side;
  end
endmodule

`resetall
`default_nettype wire
