namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, as ZIP uses it), slicing by 8 bytes: several times faster than the byte-wise table,
    /// which matters when every byte of a 1 GB app passes through it. netstandard2.0 has no built-in CRC-32.
    /// </summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        public static uint Append(uint crc, byte[] data, int offset, int count)
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

        private static uint[] BuildTable()
        {
            var table = new uint[8 * 256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
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
    }
}
