  </div>
</main>
<footer class="standin-footer" id="standin-footer">
  <div class="container">
    <h5>Need help?</h5>
    <p class="mb-2">Our support team is here for you.</p>
    <a class="btn btn-primary btn-sm" href="index.php">Open a ticket</a>
  </div>
</footer>
{$footeroutput}
</body>
</html>
