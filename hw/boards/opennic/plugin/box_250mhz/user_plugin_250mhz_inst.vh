// SPDX-License-Identifier: Apache-2.0
//
// dejfa as the OpenNIC shell's box_250mhz user plugin. The shell `include`s this file inside
// box_250mhz (src/box_250mhz/box_250mhz.sv), so the names below are that module's ports and
// parameters. Build: hw/boards/opennic/build.sh (docs/CARDS.md).
initial begin
  if (USE_PHYS_FUNC == 0) begin
    $fatal(1, "dejfa plugin: USE_PHYS_FUNC = 0 (no host path) is not supported");
  end
  if (NUM_PHYS_FUNC != NUM_CMAC_PORT) begin
    $fatal(1, "dejfa plugin: NUM_PHYS_FUNC (%0d) != NUM_CMAC_PORT (%0d)", NUM_PHYS_FUNC,
           NUM_CMAC_PORT);
  end
end

// One plugin instance: the unused reset pairs report done.
assign mod_rst_done[15:1] = {15{1'b1}};

dejfa_opennic_250mhz #(
  .NUM_INTF (NUM_CMAC_PORT)
) dejfa_inst (
  // The address map is empty (box_250mhz_address_map_inst.vh): the box's register slave goes
  // straight to the plugin, which decodes the whole 1 MiB box window itself.
  .s_axil_awvalid                   (s_axil_awvalid),
  .s_axil_awaddr                    (s_axil_awaddr),
  .s_axil_awready                   (s_axil_awready),
  .s_axil_wvalid                    (s_axil_wvalid),
  .s_axil_wdata                     (s_axil_wdata),
  .s_axil_wready                    (s_axil_wready),
  .s_axil_bvalid                    (s_axil_bvalid),
  .s_axil_bresp                     (s_axil_bresp),
  .s_axil_bready                    (s_axil_bready),
  .s_axil_arvalid                   (s_axil_arvalid),
  .s_axil_araddr                    (s_axil_araddr),
  .s_axil_arready                   (s_axil_arready),
  .s_axil_rvalid                    (s_axil_rvalid),
  .s_axil_rdata                     (s_axil_rdata),
  .s_axil_rresp                     (s_axil_rresp),
  .s_axil_rready                    (s_axil_rready),

  .s_axis_qdma_h2c_tvalid           (s_axis_qdma_h2c_tvalid),
  .s_axis_qdma_h2c_tdata            (s_axis_qdma_h2c_tdata),
  .s_axis_qdma_h2c_tkeep            (s_axis_qdma_h2c_tkeep),
  .s_axis_qdma_h2c_tlast            (s_axis_qdma_h2c_tlast),
  .s_axis_qdma_h2c_tuser_size       (s_axis_qdma_h2c_tuser_size),
  .s_axis_qdma_h2c_tuser_src        (s_axis_qdma_h2c_tuser_src),
  .s_axis_qdma_h2c_tuser_dst        (s_axis_qdma_h2c_tuser_dst),
  .s_axis_qdma_h2c_tready           (s_axis_qdma_h2c_tready),

  .m_axis_qdma_c2h_tvalid           (m_axis_qdma_c2h_tvalid),
  .m_axis_qdma_c2h_tdata            (m_axis_qdma_c2h_tdata),
  .m_axis_qdma_c2h_tkeep            (m_axis_qdma_c2h_tkeep),
  .m_axis_qdma_c2h_tlast            (m_axis_qdma_c2h_tlast),
  .m_axis_qdma_c2h_tuser_size       (m_axis_qdma_c2h_tuser_size),
  .m_axis_qdma_c2h_tuser_src        (m_axis_qdma_c2h_tuser_src),
  .m_axis_qdma_c2h_tuser_dst        (m_axis_qdma_c2h_tuser_dst),
  .m_axis_qdma_c2h_tready           (m_axis_qdma_c2h_tready),

  .m_axis_adap_tx_250mhz_tvalid     (m_axis_adap_tx_250mhz_tvalid),
  .m_axis_adap_tx_250mhz_tdata      (m_axis_adap_tx_250mhz_tdata),
  .m_axis_adap_tx_250mhz_tkeep      (m_axis_adap_tx_250mhz_tkeep),
  .m_axis_adap_tx_250mhz_tlast      (m_axis_adap_tx_250mhz_tlast),
  .m_axis_adap_tx_250mhz_tuser_size (m_axis_adap_tx_250mhz_tuser_size),
  .m_axis_adap_tx_250mhz_tuser_src  (m_axis_adap_tx_250mhz_tuser_src),
  .m_axis_adap_tx_250mhz_tuser_dst  (m_axis_adap_tx_250mhz_tuser_dst),
  .m_axis_adap_tx_250mhz_tready     (m_axis_adap_tx_250mhz_tready),

  .s_axis_adap_rx_250mhz_tvalid     (s_axis_adap_rx_250mhz_tvalid),
  .s_axis_adap_rx_250mhz_tdata      (s_axis_adap_rx_250mhz_tdata),
  .s_axis_adap_rx_250mhz_tkeep      (s_axis_adap_rx_250mhz_tkeep),
  .s_axis_adap_rx_250mhz_tlast      (s_axis_adap_rx_250mhz_tlast),
  .s_axis_adap_rx_250mhz_tuser_size (s_axis_adap_rx_250mhz_tuser_size),
  .s_axis_adap_rx_250mhz_tuser_src  (s_axis_adap_rx_250mhz_tuser_src),
  .s_axis_adap_rx_250mhz_tuser_dst  (s_axis_adap_rx_250mhz_tuser_dst),
  .s_axis_adap_rx_250mhz_tready     (s_axis_adap_rx_250mhz_tready),

  .mod_rstn                         (mod_rstn[0]),
  .mod_rst_done                     (mod_rst_done[0]),
  .axil_aclk                        (axil_aclk),
  .axis_aclk                        (axis_aclk)
);
