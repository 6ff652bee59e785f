// SPDX-License-Identifier: BSD-3-Clause
// The GPU side of the devmem CUDA test: one thread per received payload
// computes a position-weighted byte sum over the payload where the NIC
// (here the emulated device, through the provider's per-burst copies)
// put it in GPU memory. Built to PTX by nvcc; loaded with cuModuleLoad.
extern "C" __global__ void
devmem_checksum(const unsigned char *region, const unsigned long long *off,
		const unsigned int *len, unsigned int *sum, unsigned int n)
{
	unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
	unsigned int s = 0;

	if (i >= n)
		return;
	for (unsigned int j = 0; j < len[i]; j++)
		s += (unsigned int)region[off[i] + j] * (j + 1);
	sum[i] = s;
}
