using System;
using System.Runtime.InteropServices;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, as ZIP uses it). netstandard2.0 has none built in. On .NET (PowerShell 7) the runtime's
    /// own zlib does it (System.IO.Compression.Native, which every .NET ships for DeflateStream; its CRC-32 uses
    /// the CPU's carry-less multiply, tens of GB/s); elsewhere (Windows PowerShell) a slicing-by-8 table does,
    /// about 1.5 GB/s. Pieces of a file checksummed on different threads are joined with <see cref="Combine"/>.
    /// </summary>
    internal static class Crc32
    {
        private const uint Polynomial = 0xEDB88320;
        private static readonly uint[] Table = BuildTable();

        /// <summary>x^(2^n) modulo the polynomial, n = 0..31: the steps <see cref="Combine"/> shifts by.</summary>
        private static readonly uint[] PowersOfTwo = BuildPowersOfTwo();

        private static bool _nativeMissing;

        /// <summary>Whether the runtime's native CRC-32 is in use (false on Windows PowerShell).</summary>
        public static bool IsNative
        {
            get
            {
                Append(0, new byte[1], 0, 1);
                return !_nativeMissing;
            }
        }

        /// <summary>The CRC of the bytes that produced <paramref name="crc"/> followed by <paramref name="data"/>[offset..offset+count).</summary>
        public static uint Append(uint crc, byte[] data, int offset, int count)
        {
            if (count <= 0)
            {
                return crc;
            }

            if (!_nativeMissing)
            {
                try
                {
                    return NativeCrc32(crc, ref data[offset], count);
                }
                catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
                {
                    _nativeMissing = true;
                }
            }

            return Managed(crc, data, offset, count);
        }

        /// <summary>
        /// The CRC of two pieces one after the other, from the CRC of each and the second's length (zlib's
        /// crc32_combine): multiplying the first CRC by x^(8·length) modulo the polynomial shifts it past the second.
        /// </summary>
        public static uint Combine(uint first, uint second, long secondLength) =>
            secondLength <= 0 ? first : MultiplyModP(PowerOfX(secondLength, 3), first) ^ second;

        internal static uint Managed(uint crc, byte[] data, int offset, int count)
        {
            crc = ~crc;
            var table = Table;
            var i = offset;
            var end = offset + count;
            while (end - i >= 8)
            {
                var one = crc ^ (uint)(data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
                var two = (uint)(data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24));
                crc = table[(7 * 256) + (one & 0xff)]
                    ^ table[(6 * 256) + ((one >> 8) & 0xff)]
                    ^ table[(5 * 256) + ((one >> 16) & 0xff)]
                    ^ table[(4 * 256) + (one >> 24)]
                    ^ table[(3 * 256) + (two & 0xff)]
                    ^ table[(2 * 256) + ((two >> 8) & 0xff)]
                    ^ table[256 + ((two >> 16) & 0xff)]
                    ^ table[two >> 24];
                i += 8;
            }

            while (i < end)
            {
                crc = table[(crc ^ data[i++]) & 0xff] ^ (crc >> 8);
            }

            return ~crc;
        }

        /// <summary>a·b modulo the polynomial, both in the reflected bit order CRC-32 uses (x^0 is the top bit).</summary>
        private static uint MultiplyModP(uint a, uint b)
        {
            var product = 0u;
            for (var bit = 1u << 31; bit != 0; bit >>= 1)
            {
                if ((a & bit) != 0)
                {
                    product ^= b;
                }

                b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
            }

            return product;
        }

        /// <summary>x^(n·2^k) modulo the polynomial.</summary>
        private static uint PowerOfX(long n, int k)
        {
            var power = 1u << 31; // x^0
            for (; n != 0; n >>= 1, k++)
            {
                if ((n & 1) != 0)
                {
                    power = MultiplyModP(PowersOfTwo[k & 31], power);
                }
            }

            return power;
        }

        private static uint[] BuildPowersOfTwo()
        {
            var powers = new uint[32];
            var power = 1u << 30; // x^1
            powers[0] = power;
            for (var n = 1; n < 32; n++)
            {
                powers[n] = power = MultiplyModP(power, power);
            }

            return powers;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[8 * 256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            for (var n = 0; n < 256; n++)
            {
                for (var slice = 1; slice < 8; slice++)
                {
                    var previous = table[((slice - 1) * 256) + n];
                    table[(slice * 256) + n] = table[previous & 0xff] ^ (previous >> 8);
                }
            }

            return table;
        }

        /// <summary>zlib's crc32 as the runtime exports it (Linux and macOS add the lib prefix and suffix themselves).</summary>
        [DllImport("System.IO.Compression.Native", EntryPoint = "CompressionNative_Crc32")]
        private static extern uint NativeCrc32(uint crc, ref byte buffer, int length);
    }
}
