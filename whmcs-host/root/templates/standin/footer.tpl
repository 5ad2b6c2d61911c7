  </div>
</main>
{$footeroutput}
</body>
</html>
